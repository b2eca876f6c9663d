import type { DataFrame } from '@grafana/data';
import { describeMeasurement, evaluateControl, getControl } from '../../core/controls';
import { contextFor, ownQuery, type QueryPlan } from '../../core/plan';
import { LokiError, LokiMaxSeriesError } from '../../core/loki/errors';
import type { QueryResponse } from '../../core/loki/types';
import { bucketEnds, describeSilence, judgeContinuity, measureContinuity, type ContinuityResult } from '../../core/evidence/continuity';
import { anomalyBucketEnds, anomalyTable, DEFAULT_ANOMALY_OPTIONS, findAnomalies, judgeAnomalies, WindowTooShortError, type AnomalyResult, type AnomalySeries } from '../../core/evidence/anomalies';
import { retentionControlValue } from '../../core/retention/controls';
import { MS } from '../../core/logql';
import { CLASS_COLUMNS, retentionClassRow, type EvidenceTable } from '../../core/evidence/report';
import { describeNewEdges, newEdgeSamples, newEdgesTable } from '../../core/evidence/new-edges';
import { lastSpanWith, regroup, type Span } from '../../core/evidence/table-buckets';
import { ANOMALY_MEASURES, anomalyKeys } from '../../core/queries/anomalies';
import { continuityKeys, continuityScope } from '../../core/queries/controls';
import { evidenceRequests } from '../../core/queries/control-evidence-count';
import { calleeKept, evidenceCountFromTable, evidenceKept, measureFromTable, measuredFromTable } from '../../core/queries/control-table';
import { filtersKeep, type FieldFilter } from '../../core/queries/field-filter';
import { controlsFrame, type ControlRow } from '../frames/controlsFrame';
import { samplesOf } from '../topology/samples';
import { readTable, type Instant, type TableAnswer } from './controlTable';
import { compactorDeletes, measureRetention } from './runRetention';
import type { RunContext } from './context';
import type { ControlDefinition } from '../../core/controls/types';
import type { LoggingPolicy } from '../../core/policy';
import type { StreamFilters } from '../../core/query';
import type { ProfileName } from '../../core/schema';

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

/** The newest line's time (epoch ms) of one log query over [start, end), or null. */
async function newestLineMs(expr: string, startMs: number, endMs: number, run: RunContext): Promise<number | null> {
  const response = await run.client.queryRange({ query: expr, startMs, endMs, limit: 1, direction: 'backward', noCache: true, signal: run.signal });
  if (response.resultType !== 'streams') {
    return null;
  }
  const times = response.result.flatMap((stream) => stream.entries.map((entry) => Number(entry.timeNs.slice(0, -6) || '0')));
  return times.length === 0 ? null : Math.max(...times);
}

/**
 * Newest line time (epoch ms) of the evidence log queries. Where the table says which bucket
 * holds a pipeline's newest evidence, only that bucket is read (a bucket (start, end] as Loki's
 * [start, end + 1 ms)); should it hold no line after all, the whole range is.
 */
async function lastEvidenceMs(reads: EvidenceRead[], run: RunContext): Promise<number | null> {
  let newest: number | null = null;
  for (const { expr, span } of reads) {
    const inSpan = span ? await newestLineMs(expr, span.startMs, Math.min(run.toMs, span.endMs + 1), run) : null;
    const ms = inSpan ?? (await newestLineMs(expr, run.fromMs, run.toMs, run));
    newest = ms === null ? newest : Math.max(newest ?? ms, ms);
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

/** Every control from the counts table; coverage controls, and the others when the table cannot serve them, from their own queries. */
async function fromTable(plan: ControlsPlan, run: RunContext, instant: Instant): Promise<{ counts: Map<string, ControlCounts>; table: TableAnswer }> {
  const { policy, labelNames } = run.settings;
  const own = plan.queries.filter((q) => q.expr !== null && ownQuery(q.controlId));
  const table = readTable(plan, run, instant);
  const [answer, ownMeasures] = await Promise.all([table, Promise.all(own.map((q) => ownMeasure(q, run, instant, table, plan)))]);
  const rows = answer.tables.flatMap((t) => t.rows);
  const measuredOwn = new Map(own.map((q, i) => [q.controlId, ownMeasures[i]]));
  const counts = new Map<string, ControlCounts>();
  for (const q of plan.queries.filter((c) => c.expr !== null)) {
    const control = getControl(q.controlId, run.settings.policy)!;
    counts.set(q.controlId, {
      ...(measuredFromTable(control) ? { measured: measureFromTable(control, rows, plan.filters, policy, labelNames.cluster) } : (measuredOwn.get(q.controlId) ?? { measured: null })),
      evidenceCount: evidenceCountFromTable(control, rows, plan.filters, policy, labelNames.cluster),
      withEvidence: new Set(answer.tables.filter((t) => evidenceCountFromTable(control, t.rows, plan.filters, policy, labelNames.cluster) > 0).map((t) => t.profile)),
    });
  }
  return { counts, table: answer };
}

/**
 * Whether Loki's index holds any byte of the selector's streams in [startMs, endMs] (a minute of
 * slack each side: the index counts whole chunks that overlap). Loki's volume endpoint asks the
 * ingesters as well as the store (Loki v3.7.3 pkg/querier/querier.go Volume), so no bytes means no
 * line, and a scan of the range would find nothing. When Loki refuses the question (volume
 * disabled, range too long), the answer is yes: the scan decides.
 */
async function hasBytes(selector: string, startMs: number, endMs: number, run: RunContext): Promise<boolean> {
  try {
    const answer = await run.client.volume({ query: selector, startMs: startMs - MS.m, endMs: endMs + MS.m, limit: 1, noCache: true, signal: run.signal });
    return answer.result.length > 0;
  } catch (err) {
    if (err instanceof LokiError && err.status >= 400 && err.status < 500) {
      return true;
    }
    throw err;
  }
}

/** CC7.1: the window's edges from the table against the baseline's; without the table, Loki's `unless`. */
async function newEdgesMeasure(q: ControlsPlan['queries'][number], run: RunContext, instant: Instant, table: Promise<TableAnswer> | null, plan: ControlsPlan) {
  const control = getControl(q.controlId, run.settings.policy)!;
  const days = control.evidence.kind === 'new-edges' ? control.evidence.baselineDays : 0;
  const ctx = contextFor(run.settings);
  if (table === null) {
    // The list and the baseline's presence give the alert rule's value (q.expr) without a third scan.
    const [baseline, edges] = await Promise.all([instant(q.edges!.baseline), instant(q.edges!.list)]);
    if (singleValue(baseline, `${q.controlId} baseline`) === null) {
      return { measured: null, table: newEdgesTable([], ctx), detail: describeNewEdges(null, days) };
    }
    const found = newEdgesTable(samplesOf(edges, `${q.controlId} edges`), ctx);
    return { measured: found.rows.length, table: found, detail: describeNewEdges(found, days) };
  }
  const { baselineEdges, baselineMs } = q.edges!;
  const [answer, ...baselines] = await Promise.all([
    table,
    ...baselineEdges.map(async (b) => ((await hasBytes(b.selector, run.fromMs - baselineMs, run.fromMs, run)) ? instant(b.expr) : null)),
  ]);
  const baseline = baselines.flatMap((b) => (b === null ? [] : samplesOf(b, `${q.controlId} baseline edges`)));
  if (baseline.length === 0) {
    return { measured: null, table: newEdgesTable([], ctx), detail: describeNewEdges(null, days) };
  }
  const current = answer.tables.flatMap((t) => t.rows).filter((row) => calleeKept(row.metric, plan.filters));
  const found = newEdgesTable(newEdgeSamples(current, baseline, ctx), ctx);
  return { measured: found.rows.length, table: found, detail: describeNewEdges(found, days) };
}

/** A continuity control's buckets: sums of whole table buckets where the table's divide them, else its own range query. */
async function continuityMeasure(q: ControlsPlan['queries'][number], run: RunContext, table: Promise<TableAnswer> | null, plan: ControlsPlan): Promise<ContinuityResult> {
  const control = getControl(q.controlId, run.settings.policy)!;
  const { policy } = run.settings;
  const ctx = contextFor(run.settings);
  const stepMs = q.stepMs!;
  const buckets = (await table)?.buckets;
  if (buckets && stepMs % buckets.layout.stepMs === 0 && control.evidence.kind === 'continuity') {
    const scope = continuityScope(control.evidence);
    const ends = bucketEnds(run.fromMs, run.toMs, stepMs);
    const series = regroup(buckets.series, buckets.layout, (m) => calleeKept(m, plan.filters) && filtersKeep(scope, m, policy), continuityKeys(ctx), stepMs, ends);
    return judgeContinuity(control, series, ends, stepMs, policy, ctx);
  }
  return measureContinuity({ client: run.client, control, expr: q.expr!, stepMs, fromMs: run.fromMs, toMs: run.toMs, policy, ctx, signal: run.signal });
}

/** A control measured by its own query (coverage), or from the table's edges or buckets (new edges, continuity). */
async function ownMeasure(
  q: ControlsPlan['queries'][number],
  run: RunContext,
  instant: Instant,
  table: Promise<TableAnswer> | null,
  plan: ControlsPlan
): Promise<Pick<ControlCounts, 'measured' | 'detail' | 'table'>> {
  const control = getControl(q.controlId, run.settings.policy)!;
  if (q.edges !== undefined) {
    return newEdgesMeasure(q, run, instant, table, plan);
  }
  if (q.stepMs === undefined) {
    return { measured: singleValue(await instant(q.expr!), q.controlId) };
  }
  const result = await continuityMeasure(q, run, table, plan);
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
        const [measure, responses] = await Promise.all([ownMeasure(q, run, instant, null, plan), Promise.all(queries.map((c) => instant(c.expr)))]);
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

/** Where each pipeline's newest evidence line of the control is, from the per-bucket table; null where unknown. */
function evidenceSpan(control: ControlDefinition, profile: ProfileName | undefined, table: TableAnswer | null, filters: StreamFilters, policy: LoggingPolicy): Span | null {
  const buckets = table?.buckets;
  if (!buckets) {
    return null;
  }
  return lastSpanWith(buckets.series, buckets.layout, (s) => s.profile === profile && evidenceKept(control, s.metric, filters, policy));
}

function controlRow(q: ControlsPlan['queries'][number], counts: ControlCounts | undefined, run: RunContext, table: TableAnswer | null, plan: ControlsPlan): ControlRowDraft {
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
    logs: q.newest
      .filter((l) => counts.withEvidence.has(l.profile))
      .map((l) => ({ expr: l.expr, span: evidenceSpan(control, l.profile, table, plan.filters, run.settings.policy) })),
    ...(counts.table ? { table: counts.table } : {}),
  };
}

/**
 * Each service against its own baseline over the run's range, or why the range cannot hold one:
 * from the per-bucket table where its buckets make up the anomaly buckets, else from the anomaly queries.
 */
async function anomalyMeasure(plan: ControlsPlan, run: RunContext, table: Promise<TableAnswer | null>): Promise<AnomalyResult | WindowTooShortError> {
  try {
    const o = DEFAULT_ANOMALY_OPTIONS;
    const buckets = (await table)?.buckets;
    if (buckets && o.stepMs % buckets.layout.stepMs === 0) {
      const ctx = contextFor(run.settings);
      const ends = anomalyBucketEnds(run.fromMs, run.toMs, o.stepMs);
      const keep = (filters: readonly FieldFilter[]) => (m: Record<string, string>) => calleeKept(m, plan.filters) && filtersKeep(filters, m, run.settings.policy);
      const series: AnomalySeries = { requests: [], errors: [] };
      for (const [measure, filters] of ANOMALY_MEASURES) {
        series[measure] = regroup(buckets.series, buckets.layout, keep(filters), anomalyKeys(ctx), o.stepMs, ends);
      }
      return judgeAnomalies(series, ends, o, ctx, plan.buckets.queries.map((q) => q.expr));
    }
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
  logs: EvidenceRead[];
}

/** An evidence log query, and the stretch of the range its newest line is in when the table says. */
interface EvidenceRead {
  expr: string;
  span: Span | null;
}

/**
 * One counts table per pipeline for every control, per bucket where the range holds whole
 * buckets (controlTable.ts): the share and count controls, CC4.1's and CC7.2's buckets and CC7.1's
 * window edges come from it; a query of its own for each coverage control and for CC7.1's
 * baseline; then a newest-line read per control and pipeline with evidence, in the last bucket
 * holding it. If Loki refuses the table for its series count (max_query_series), each control is
 * measured by its own queries instead, and the frame says so. Evidence reads bypass Loki's
 * results cache: a cached piece from while a backfill was arriving would undercount.
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
  const measured = fromTable(plan, run, instant).catch(async (error: unknown) => {
    if (!(error instanceof LokiMaxSeriesError)) {
      throw error;
    }
    const notice =
      `The controls' counts table has more series than Loki allows (max_query_series=${error.limit}), ` +
      'so each control was measured by its own queries (slower; the same values).';
    return { counts: await perControl(plan, run, instant), table: null, notice };
  });
  const table = measured.then(
    (m) => m.table,
    () => null
  );
  const [{ counts, table: answer, ...rest }, retention, anomalies] = await Promise.all([
    measured,
    plan.retention.length > 0 ? retentionMeasures(plan, run) : undefined,
    plan.anomalies.length > 0 ? anomalyMeasure(plan, run, table) : undefined,
  ]);
  const notice = 'notice' in rest ? rest.notice : undefined;
  const drafts = plan.queries.map((q) =>
    q.judgedBy === 'retention' && retention
      ? retentionRow(q, retention, run)
      : q.judgedBy === 'anomalies' && anomalies
        ? anomalyRow(q, anomalies, run)
        : controlRow(q, counts.get(q.controlId), run, answer, plan)
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
