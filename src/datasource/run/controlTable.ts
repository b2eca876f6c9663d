/**
 * The controls' counts table as the data source reads it (core/queries/control-table.ts): per
 * bucket with the range's head and tail when the range holds whole buckets
 * (core/evidence/table-buckets.ts), else in one instant query per pipeline, window by window when
 * the range is longer than the tenant's max_query_length.
 */
import { buildControlTableQueries } from '../../core/queries/control-table';
import { contextFor, tableControls, type QueryPlan } from '../../core/plan';
import { LokiQueryTooLongError } from '../../core/loki/errors';
import type { MatrixSeries, QueryResponse, VectorSample } from '../../core/loki/types';
import type { ProfileName } from '../../core/schema';
import { bucketLayout, TableSeriesSet, windowRows, type BucketLayout, type TableSeries } from '../../core/evidence/table-buckets';
import { samplesOf } from '../topology/samples';
import type { RunContext } from './context';

type ControlsPlan = Extract<QueryPlan, { type: 'controls' }>;
export type Instant = (query: string, timeMs?: number) => Promise<QueryResponse>;

export interface TableAnswer {
  /** Per pipeline, its rows over the whole range. */
  tables: Array<{ profile?: ProfileName; rows: VectorSample[] }>;
  /** The per-bucket series, when the table was read per bucket. */
  buckets?: { layout: BucketLayout; series: TableSeries[] };
}

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
 * One instant count per pipeline. A range longer than the tenant's max_query_length is counted
 * window by window and the rows put together: counts over disjoint windows add up, and every
 * measure and evidence count is a sum over rows (control-table.ts).
 */
async function instantTable(plan: ControlsPlan, run: RunContext, instant: Instant): Promise<TableAnswer> {
  try {
    const responses = await Promise.all(plan.table.map((t) => instant(t.expr)));
    return { tables: plan.table.map((t, i) => ({ profile: t.profile, rows: samplesOf(responses[i], 'control counts') })) };
  } catch (error) {
    const limitMs = error instanceof LokiQueryTooLongError ? error.limitMs : undefined;
    if (limitMs === undefined || limitMs <= 0 || run.toMs - run.fromMs <= limitMs - 1000) {
      throw error;
    }
    const controls = tableControls(plan.queries, run.settings.policy);
    const tables = plan.table.map((t) => ({ profile: t.profile, rows: [] as VectorSample[] }));
    for (const window of tableWindows(run.fromMs, run.toMs, limitMs)) {
      const queries = buildControlTableQueries(controls, plan.filters, window.lengthMs, contextFor(run.settings));
      const responses = await Promise.all(queries.map((q) => instant(q.expr, window.endMs)));
      responses.forEach((response, i) => tables[i].rows.push(...samplesOf(response, 'control counts')));
    }
    return { tables };
  }
}

/** The buckets by one range query per pipeline, the head and tail by instant queries of their length. */
async function bucketedTable(plan: ControlsPlan, run: RunContext, instant: Instant, layout: BucketLayout): Promise<TableAnswer> {
  const controls = tableControls(plan.queries, run.settings.policy);
  const set = new TableSeriesSet();
  const ends = new Set(layout.ends);
  const [first, last] = [layout.ends[0], layout.ends[layout.ends.length - 1]];
  const buckets = plan.buckets.queries.map(async (q) => {
    const response = await run.client.queryRange({ query: q.expr, startMs: first, endMs: last, stepMs: layout.stepMs, noCache: true, signal: run.signal });
    if (response.resultType !== 'matrix' && response.resultType !== 'empty') {
      throw new Error(`The control counts per bucket returned ${response.resultType} instead of a matrix.`);
    }
    const series = response.resultType === 'matrix' ? (response.result as MatrixSeries[]) : [];
    // A point off the buckets would be counted in no bucket or twice: refuse rather than guess.
    const off = series.flatMap((s) => s.values.map(([t]) => t)).find((t) => !ends.has(t));
    if (off !== undefined) {
      throw new Error(`Loki placed a control count at ${new Date(off).toISOString()}, off the ${layout.stepMs / 60_000}-minute buckets the window was split into.`);
    }
    set.addMatrix(q.profile, series);
  });
  const parts = layout.parts.flatMap((part) =>
    buildControlTableQueries(controls, plan.filters, part.endMs - part.startMs, contextFor(run.settings)).map(async (q) => {
      samplesOf(await instant(q.expr, part.endMs), 'control counts').forEach((s) => set.add(q.profile, s.metric, part.endMs, s.value));
    })
  );
  await Promise.all([...buckets, ...parts]);
  const series = set.all();
  return {
    tables: plan.buckets.queries.map((q) => ({ profile: q.profile, rows: windowRows(series.filter((s) => s.profile === q.profile), run.toMs) })),
    buckets: { layout, series },
  };
}

/**
 * The table, per bucket when the range holds two whole buckets or more. A range Loki refuses as
 * too long falls back to the instant count, which splits it into windows.
 */
export async function readTable(plan: ControlsPlan, run: RunContext, instant: Instant): Promise<TableAnswer> {
  const layout = plan.buckets.queries.length > 0 ? bucketLayout(run.fromMs, run.toMs, plan.buckets.stepMs) : null;
  if (layout) {
    try {
      return await bucketedTable(plan, run, instant, layout);
    } catch (error) {
      if (!(error instanceof LokiQueryTooLongError)) {
        throw error;
      }
    }
  }
  return instantTable(plan, run, instant);
}
