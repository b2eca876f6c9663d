/**
 * How each table-measured control (share and count kinds) moved over the audit window, for the
 * report's trend charts: the controls' counts table run as a range query whose step is its range,
 * so each point at t counts (t − step, t] (the buckets tile the window, on step multiples as Loki
 * 3.7.3 places them), and each control measured per bucket from those rows by the same rule as
 * over the whole window (control-table.ts measureFromTable).
 */
import { getControl } from '../controls/catalog';
import type { ControlDefinition } from '../controls/types';
import type { LokiClient } from '../loki/client';
import type { MatrixSeries, VectorSample } from '../loki/types';
import { planQuery, type PlanSettings } from '../plan';
import type { StreamFilters } from '../query';
import { measureFromTable, measuredFromTable } from '../queries/control-table';
import { bucketEnds } from './continuity';

export interface ControlTrends {
  stepMs: number;
  /** Per control id, its measured value per bucket (end ms); null where the bucket has no evidence. */
  points: Record<string, Array<{ endMs: number; value: number | null }>>;
  /** The LogQL behind the buckets, one per pipeline, for re-running. */
  queries: string[];
}

/** About `buckets` whole-minute buckets over the window. */
export function trendStepMs(fromMs: number, toMs: number, buckets = 24): number {
  return Math.max(60_000, Math.ceil((toMs - fromMs) / buckets / 60_000) * 60_000);
}

export async function controlTrends(params: {
  client: LokiClient;
  settings: PlanSettings;
  controlIds: readonly string[];
  fromMs: number;
  toMs: number;
  filters?: StreamFilters;
  signal?: AbortSignal;
}): Promise<ControlTrends> {
  const { settings } = params;
  const filters = params.filters ?? {};
  const stepMs = trendStepMs(params.fromMs, params.toMs);
  const ends = bucketEnds(params.fromMs, params.toMs, stepMs);
  // The controls plan of the whole catalog over one bucket: its counts table is the one query per
  // pipeline, whichever controls are charted.
  const plan = planQuery({ queryType: 'controls', filters }, settings, stepMs);
  if (plan.type !== 'controls') {
    throw new Error('expected a controls plan');
  }
  const controls = plan.queries
    .filter((q) => q.expr !== null && params.controlIds.includes(q.controlId))
    .map((q) => getControl(q.controlId, settings.policy))
    .filter((c): c is ControlDefinition => c !== undefined && measuredFromTable(c));
  if (controls.length === 0 || ends.length === 0) {
    return { stepMs, points: {}, queries: [] };
  }
  const queries = plan.table;
  const rowsAt = new Map<number, VectorSample[]>(ends.map((t) => [t, []]));
  for (const q of queries) {
    const response = await params.client.queryRange({
      query: q.expr,
      startMs: ends[0],
      endMs: ends[ends.length - 1],
      stepMs,
      noCache: true,
      signal: params.signal,
    });
    if (response.resultType !== 'matrix' && response.resultType !== 'empty') {
      throw new Error(`The trend query returned ${response.resultType} instead of a matrix.`);
    }
    for (const s of response.resultType === 'matrix' ? (response.result as MatrixSeries[]) : []) {
      for (const [timeMs, value] of s.values) {
        rowsAt.get(timeMs)?.push({ metric: s.metric, timeMs, value });
      }
    }
  }
  const cluster = settings.labelNames.cluster;
  const points = Object.fromEntries(
    controls.map((c) => [
      c.id,
      ends.map((endMs) => ({
        endMs,
        value: measureFromTable(c, rowsAt.get(endMs)!, filters, settings.policy, cluster),
      })),
    ])
  );
  return { stepMs, points, queries: queries.map((q) => q.expr) };
}
