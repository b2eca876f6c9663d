import type { DataFrame } from '@grafana/data';
import { describeMeasurement, evaluateControl, getControl } from '../../core/controls';
import { ownQuery, type QueryPlan } from '../../core/plan';
import type { QueryResponse, VectorSample } from '../../core/loki/types';
import { evidenceCountFromTable, measureFromTable, measuredFromTable } from '../../core/queries/control-table';
import { controlsFrame, type ControlRow } from '../frames/controlsFrame';
import { samplesOf } from '../topology/samples';
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

/** The table's rows, per pipeline (the profile of a raw source; undefined for normalised JSON). */
type TableRows = Map<string | undefined, VectorSample[]>;

function controlRow(q: ControlsPlan['queries'][number], filters: ControlsPlan['filters'], table: TableRows, measuredOwn: Map<string, number | null>, run: RunContext): ControlRowDraft {
  const control = getControl(q.controlId)!;
  const base = { id: control.id, criterion: control.criterion, title: control.title };
  if (q.expr === null) {
    return { row: { ...base, status: 'no-evidence', evidenceCount: 0, measured: null, lastEvidenceMs: null, detail: q.reason ?? 'Out of scope.' }, logs: [] };
  }
  const { policy, labelNames } = run.settings;
  const rows = [...table.values()].flat();
  const measured = measuredFromTable(control) ? measureFromTable(control, rows, filters, policy) : (measuredOwn.get(control.id) ?? null);
  const evidenceCount = evidenceCountFromTable(control, rows, filters, policy, labelNames.cluster);
  const status = evaluateControl(control, measured, policy);
  return {
    row: { ...base, status, evidenceCount, measured, lastEvidenceMs: null, detail: describeMeasurement(control, measured) },
    // Only the pipelines whose lines hold evidence are read: the others would scan the range for nothing.
    logs: q.newest.filter((l) => evidenceCountFromTable(control, table.get(l.profile) ?? [], filters, policy, labelNames.cluster) > 0).map((l) => l.expr),
  };
}

interface ControlRowDraft {
  row: ControlRow;
  /** Evidence log queries to read the newest line from; none when there is no evidence. */
  logs: string[];
}

/**
 * One counts table per pipeline for every control, a query of its own for each coverage
 * control, then a newest-line read per control and pipeline with evidence. Evidence reads bypass Loki's
 * results cache: a cached piece from while a backfill was arriving would undercount.
 */
export async function runControls(plan: ControlsPlan, run: RunContext): Promise<DataFrame[]> {
  const instant = (query: string) => run.client.instantQuery({ query, timeMs: run.toMs, noCache: true, signal: run.signal });
  const own = plan.queries.filter((q) => q.expr !== null && ownQuery(q.controlId));
  const [tableResponses, ownResponses] = await Promise.all([
    Promise.all(plan.table.map((t) => instant(t.expr))),
    Promise.all(own.map((q) => instant(q.expr!))),
  ]);
  const table: TableRows = new Map(plan.table.map((t, i) => [t.profile, samplesOf(tableResponses[i], 'control counts')]));
  const measuredOwn = new Map(own.map((q, i) => [q.controlId, singleValue(ownResponses[i], q.controlId)]));
  const drafts = plan.queries.map((q) => controlRow(q, plan.filters, table, measuredOwn, run));
  const rowsOut = await Promise.all(
    drafts.map(async (d) => (d.logs.length === 0 ? d.row : { ...d.row, lastEvidenceMs: await lastEvidenceMs(d.logs, run) }))
  );
  return [controlsFrame(rowsOut, run.refId)];
}
