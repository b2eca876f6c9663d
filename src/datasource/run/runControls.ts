import type { DataFrame } from '@grafana/data';
import { describeMeasurement, evaluateControl, getControl } from '../../core/controls';
import { contextFor, ownQuery, type QueryPlan } from '../../core/plan';
import { LokiMaxSeriesError, LokiQueryTooLongError } from '../../core/loki/errors';
import type { QueryResponse } from '../../core/loki/types';
import { describeSilence, measureContinuity } from '../../core/evidence/continuity';
import { anomalyTable, findAnomalies, WindowTooShortError, type AnomalyResult } from '../../core/evidence/anomalies';
import { retentionControlValue } from '../../core/retention/controls';
import { CLASS_COLUMNS, retentionClassRow, type EvidenceTable } from '../../core/evidence/report';
import { describeNewEdges, newEdgesTable } from '../../core/evidence/new-edges';
import { evidenceRequests } from '../../core/queries/control-evidence-count';
import { buildControlTableQueries, evidenceCountFromTable, measureFromTable, measuredFromTable } from '../../core/queries/control-table';
import { controlsFrame, type ControlRow } from '../frames/controlsFrame';
import { samplesOf } from '../topology/samples';
import { compactorDeletes, measureRetention } from './runRetention';
import type { RunContext } from './context';

type ControlsPlan = Extract<QueryPlan, { type: 'controls' }>;

/** The single measured value of a control query: none is "no evidence", several is a query bug. */
export function singleValue(response: QueryResponse, controlId: string): number | null {
  const samples = samplesOf(response, controlId);
  if (samples.length === 0) {
    return null;
  }
  if (samples.length > 1) {
    throw new Error(`The ${controlId} query returned ${samples.length} series instead of one value.`);
  }
  return Number.isFinite(samples[0].value) ? samples[0].value : null;
}

/** Newest line time (epoch ms) of the evidence log queries: one line each, newest first. */
async function lastEvidenceMs(exprs: string[], run: RunContext): Promise<number | null> {
  let newest: number | null = null;
  for (const expr of exprs) {
    const response = await run.client.queryRange({ query: expr, startMs: run.fromMs, endMs: run.toMs, limit: 1, direction: 'backward', noCache: true, signal: run.signal });
    if (response.resultType !== 'streams') {
      continue;
    }
    for (const stream of response.result) {
      for (const entry of stream.entries) {
        const ms = Number(entry.timeNs.slice(0, -6) || '0');
        newest = newest === null ? ms : Math.max(newest, ms);
      }
    }
  }
  return newest;
}

/** What one control's row is made of: its measured value, and its evidence per pipeline. */
interface ControlCounts {
  measured: number | null;
  /** What the measured value rests on, when a number alone does not say it (silent buckets). */
  detail?: string;
  /** Evidence that is no log lines (CC7.1's new edges): its rows are the evidence count. */
  table?: EvidenceTable;
  /** Requests behind the evidence lines, over every pipeline (a request's two lines may be in two). */
  evidenceCount: number;
  /** The pipelines with evidence lines (the profile of a raw source; undefined for normalised JSON). */
  withEvidence: Set<string | undefined>;
}

type Instant = (query: string, timeMs?: number) => Promise<QueryResponse>;

/**
 * Consecutive windows of at most `maxMs` ending at toMs, newest first. Loki measures an instant
 * query over `[r]` as r plus 1 ns (seen on Loki 3.7: `[1h]` under a 1h max_query_length is
 * refused as "1h0m0.000000001s"), so each window is a second shorter than the limit.
 */
export function tableWindows(fromMs: number, toMs: number, limitMs: number): Array<{ endMs: number; lengthMs: number }> {
  const step = Math.max(1000, limitMs - 1000);
  const windows: Array<{ endMs: number; lengthMs: number }> = [];
  for (let end = toMs; end > fromMs; end -= step) {
    windows.push({ endMs: end, lengthMs: Math.min(step, end - fromMs) });
  }
  return windows;
}

/**
 * The counts table of every pipeline. A range longer than the tenant's max_query_length is
 * counted window by window and the rows put together: counts over disjoint windows add up, and
 * every measure and evidence count is a sum over rows (control-table.ts).
 */
async function tableRows(plan: ControlsPlan, run: RunContext, instant: Instant) {
  try {
    const responses = await Promise.all(plan.table.map((t) => instant(t.expr)));
    return plan.table.map((t, i) => ({ profile: t.profile, rows: samplesOf(responses[i], 'control counts') }));
  } catch (error) {
    const limitMs = error instanceof LokiQueryTooLongError ? error.limitMs : undefined;
    if (limitMs === undefined || limitMs <= 0 || run.toMs - run.fromMs <= limitMs - 1000) {
      throw error;
    }
    const inScope = plan.queries.filter((q) => q.expr !== null).map((q) => getControl(q.controlId, run.settings.policy)!);
    const tables = plan.table.map((t) => ({ profile: t.profile, rows: [] as ReturnType<typeof samplesOf> }));
    for (const window of tableWindows(run.fromMs, run.toMs, limitMs)) {
      const queries = buildControlTableQueries(inScope, plan.filters, window.lengthMs, contextFor(run.settings));
      const responses = await Promise.all(queries.map((q) => instant(q.expr, window.endMs)));
      responses.forEach((response, i) => tables[i].rows.push(...samplesOf(response, 'control counts')));
    }
    return tables;
  }
}

/** Every control from the counts table; coverage, continuity and new-edge controls from their own queries. */
async function fromTable(plan: ControlsPlan, run: RunContext, instant: Instant): Promise<Map<string, ControlCounts>> {
  const { policy, labelNames } = run.settings;
  const own = plan.queries.filter((q) => q.expr !== null && ownQuery(q.controlId));
  const [table, ownMeasures] = await Promise.all([tableRows(plan, run, instant), Promise.all(own.map((q) => ownMeasure(q, run, instant)))]);
  const rows = table.flatMap((t) => t.rows);
  const measuredOwn = new Map(own.map((q, i) => [q.controlId, ownMeasures[i]]));
  const counts = new Map<string, ControlCounts>();
  for (const q of plan.queries.filter((c) => c.expr !== null)) {
    const control = getControl(q.controlId, run.settings.policy)!;
    counts.set(q.controlId, {
      ...(measuredFromTable(control) ? { measured: measureFromTable(control, rows, plan.filters, policy, labelNames.cluster) } : (measuredOwn.get(q.controlId) ?? { measured: null })),
      evidenceCount: evidenceCountFromTable(control, rows, plan.filters, policy, labelNames.cluster),
      withEvidence: new Set(table.filter((t) => evidenceCountFromTable(control, t.rows, plan.filters, policy, labelNames.cluster) > 0).map((t) => t.profile)),
    });
  }
  return counts;
}

/** A control measured by its own query: an instant value, or a continuity control's buckets. */
async function ownMeasure(q: ControlsPlan['queries'][number], run: RunContext, instant: Instant): Promise<Pick<ControlCounts, 'measured' | 'detail' | 'table'>> {
  const control = getControl(q.controlId, run.settings.policy)!;
  if (q.edges !== undefined && control.evidence.kind === 'new-edges') {
    const days = control.evidence.baselineDays;
    // The list and the baseline's presence give the alert rule's value (q.expr) without a third scan.
    const [baseline, edges] = await Promise.all([instant(q.edges.baseline), instant(q.edges.list)]);
    if (singleValue(baseline, `${q.controlId} baseline`) === null) {
      return { measured: null, table: newEdgesTable([], contextFor(run.settings)), detail: describeNewEdges(null, days) };
    }
    const table = newEdgesTable(samplesOf(edges, `${q.controlId} edges`), contextFor(run.settings));
    return { measured: table.rows.length, table, detail: describeNewEdges(table, days) };
  }
  if (q.stepMs === undefined) {
    return { measured: singleValue(await instant(q.expr!), q.controlId) };
  }
  const result = await measureContinuity({
    client: run.client,
    control,
    expr: q.expr!,
    stepMs: q.stepMs,
    fromMs: run.fromMs,
    toMs: run.toMs,
    policy: run.settings.policy,
    ctx: contextFor(run.settings),
    signal: run.signal,
  });
  return { measured: result.measured, detail: `${describeMeasurement(control, result.measured)}. ${describeSilence(result)}` };
}

/** Each control from its own LogQL and evidence count queries (control-table.ts buildEvidenceCountQueries). */
async function perControl(plan: ControlsPlan, run: RunContext, instant: Instant): Promise<Map<string, ControlCounts>> {
  const cluster = run.settings.labelNames.cluster;
  const entries = await Promise.all(
    plan.queries
      .filter((q) => q.expr !== null)
      .map(async (q): Promise<[string, ControlCounts]> => {
        const queries = plan.evidenceCounts[q.controlId] ?? [];
        const [measure, responses] = await Promise.all([ownMeasure(q, run, instant), Promise.all(queries.map((c) => instant(c.expr)))]);
        const evidence = queries.map((c, i) => ({ profile: c.profile, samples: samplesOf(responses[i], `${q.controlId} evidence count`) }));
        return [
          q.controlId,
          {
            ...measure,
            evidenceCount: evidenceRequests(evidence.flatMap((e) => e.samples), cluster),
            withEvidence: new Set(evidence.filter((e) => evidenceRequests(e.samples, cluster) > 0).map((e) => e.profile)),
          },
        ];
      })
  );
  return new Map(entries);
}

function controlRow(q: ControlsPlan['queries'][number], counts: ControlCounts | undefined, run: RunContext): ControlRowDraft {
  const control = getControl(q.controlId, run.settings.policy)!;
  const base = { id: control.id, criterion: control.criterion, title: control.title };
  if (q.expr === null || !counts) {
    return { row: { ...base, status: 'no-evidence', evidenceCount: 0, measured: null, lastEvidenceMs: null, detail: q.reason ?? 'Out of scope.' }, logs: [] };
  }
  const { measured, evidenceCount } = counts;
  const status = evaluateControl(control, measured, run.settings.policy);
  return {
    row: { ...base, status, evidenceCount: counts.table ? counts.table.rows.length : evidenceCount, measured, lastEvidenceMs: null, detail: counts.detail ?? describeMeasurement(control, measured) },
    // Only the pipelines whose lines hold evidence are read: the others would scan the range for nothing.
    logs: q.newest.filter((l) => counts.withEvidence.has(l.profile)).map((l) => l.expr),
    ...(counts.table ? { table: counts.table } : {}),
  };
}

/** Each service against its own baseline over the run's range, or why the range cannot hold one. */
async function anomalyMeasure(plan: ControlsPlan, run: RunContext): Promise<AnomalyResult | WindowTooShortError> {
  try {
    return await findAnomalies({ client: run.client, settings: run.settings, fromMs: run.fromMs, toMs: run.toMs, filters: plan.filters, signal: run.signal });
  } catch (error) {
    if (error instanceof WindowTooShortError) {
      return error;
    }
    throw error;
  }
}

/** The baseline-anomaly control's row: how many findings, each a row of its evidence table. */
function anomalyRow(q: ControlsPlan['queries'][number], result: AnomalyResult | WindowTooShortError, run: RunContext): ControlRowDraft {
  const control = getControl(q.controlId, run.settings.policy)!;
  const base = { id: control.id, criterion: control.criterion, title: control.title, lastEvidenceMs: null };
  if (result instanceof WindowTooShortError || result.services === 0) {
    const detail = result instanceof WindowTooShortError ? result.message : 'No service logged in the window: there is no baseline to judge.';
    return { row: { ...base, status: 'no-evidence', evidenceCount: 0, measured: null, detail }, logs: [] };
  }
  const measured = result.anomalies.length;
  const table = anomalyTable(result);
  const shown = result.anomalies.slice(0, 4).map((a) => `${a.service} (${a.cluster}): ${a.reason}`);
  const detail =
    measured === 0
      ? `No service left its own baseline in ${result.buckets} buckets of ${result.stepMs / 60_000} minutes.`
      : `${measured} finding(s): ${shown.join('; ')}${measured > shown.length ? ` and ${measured - shown.length} more` : ''}.`;
  return { row: { ...base, status: evaluateControl(control, measured, run.settings.policy), evidenceCount: measured, measured, detail }, logs: [], table };
}

async function retentionMeasures(plan: ControlsPlan, run: RunContext) {
  const [measurement, deletes] = await Promise.all([measureRetention(plan.retention, run), compactorDeletes(run)]);
  return { ...measurement, deletes };
}

/** A retention control's row: its evidence is the policy's log classes, judged as the retention panel judges them. */
function retentionRow(q: ControlsPlan['queries'][number], retention: Awaited<ReturnType<typeof retentionMeasures>>, run: RunContext): ControlRowDraft {
  const control = getControl(q.controlId, run.settings.policy)!;
  if (control.evidence.kind !== 'retention') {
    throw new Error(`${control.id} is not a retention control`);
  }
  const { measured, detail } = retentionControlValue(control.evidence.aspect, retention.classes, retention.deletes);
  const status = evaluateControl(control, measured, run.settings.policy);
  return {
    row: { id: control.id, criterion: control.criterion, title: control.title, status, evidenceCount: retention.classes.length, measured, lastEvidenceMs: null, detail },
    logs: [],
    table: { columns: CLASS_COLUMNS, rows: retention.classes.map(retentionClassRow) },
  };
}

interface ControlRowDraft {
  row: ControlRow;
  table?: EvidenceTable;
  /** Evidence log queries to read the newest line from; none when there is no evidence. */
  logs: string[];
}

/**
 * One counts table per pipeline for every control, a query of its own for each coverage
 * control (a range query for each continuity control), then a newest-line read per control and pipeline with evidence. If Loki refuses the
 * table for its series count (max_query_series), each control is measured by its own queries
 * instead, and the frame says so. Evidence reads bypass Loki's results cache: a cached piece
 * from while a backfill was arriving would undercount.
 */
export async function measureControls(
  plan: ControlsPlan,
  run: RunContext
): Promise<{ rows: ControlRow[]; notice?: string; tables: Record<string, EvidenceTable> }> {
  // Controls may share a query (A1.2 and CC7.2 rest on the same 5xx lines): each is sent once.
  const sent = new Map<string, ReturnType<Instant>>();
  const instant: Instant = (query, timeMs = run.toMs) => {
    const key = `${timeMs}\n${query}`;
    if (!sent.has(key)) {
      sent.set(key, run.client.instantQuery({ query, timeMs, noCache: true, signal: run.signal }));
    }
    return sent.get(key)!;
  };
  let counts: Map<string, ControlCounts>;
  let notice: string | undefined;
  try {
    counts = await fromTable(plan, run, instant);
  } catch (error) {
    if (!(error instanceof LokiMaxSeriesError)) {
      throw error;
    }
    counts = await perControl(plan, run, instant);
    notice =
      `The controls' counts table has more series than Loki allows (max_query_series=${error.limit}), ` +
      'so each control was measured by its own queries (slower; the same values).';
  }
  const retention = plan.retention.length > 0 ? await retentionMeasures(plan, run) : undefined;
  const anomalies = plan.anomalies.length > 0 ? await anomalyMeasure(plan, run) : undefined;
  const drafts = plan.queries.map((q) =>
    q.judgedBy === 'retention' && retention
      ? retentionRow(q, retention, run)
      : q.judgedBy === 'anomalies' && anomalies
        ? anomalyRow(q, anomalies, run)
        : controlRow(q, counts.get(q.controlId), run)
  );
  const rows = await Promise.all(drafts.map(async (d) => (d.logs.length === 0 ? d.row : { ...d.row, lastEvidenceMs: await lastEvidenceMs(d.logs, run) })));
  const tables = Object.fromEntries(drafts.flatMap((d) => (d.table ? [[d.row.id, d.table]] : [])));
  return { rows, tables, ...(notice ? { notice } : {}) };
}

/** The controls frame of measureControls' rows, with its notice. */
export async function runControls(plan: ControlsPlan, run: RunContext): Promise<DataFrame[]> {
  const { rows, notice } = await measureControls(plan, run);
  const frame = controlsFrame(rows, run.refId);
  if (notice) {
    frame.meta = { ...frame.meta, notices: [...(frame.meta?.notices ?? []), { severity: 'info', text: notice }] };
  }
  return [frame];
}
