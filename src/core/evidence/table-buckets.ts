/**
 * The controls' counts table per bucket: one range query per pipeline whose step is its range, so
 * that each point at t counts (t − step, t] and the whole step-aligned buckets tile the window
 * (Loki 3.7.3 puts the points on step multiples: evidence/continuity.ts), plus an instant count
 * of each part of the window outside them (its head and tail). One scan of the window then gives
 * every table-measured control over the whole window (the sums), the continuity buckets, the
 * anomaly buckets (coarser buckets are sums of whole table buckets) and, per control, the last
 * bucket holding evidence, where its newest evidence line is read instead of across the window.
 */
import type { MatrixSeries, VectorSample } from '../loki/types';
import type { ProfileName } from '../schema';
import { bucketEnds } from './continuity';

/** A stretch of the window, (startMs, endMs]. */
export interface Span {
  startMs: number;
  endMs: number;
}

export interface BucketLayout {
  stepMs: number;
  /** The whole step-aligned buckets' ends, ascending. */
  ends: number[];
  /** The head and tail of the window outside the whole buckets, each counted by an instant query. */
  parts: Span[];
}

/** Fewer than two whole buckets: the table is counted by one instant query (a range query needs start < end). */
export function bucketLayout(fromMs: number, toMs: number, stepMs: number): BucketLayout | null {
  const ends = bucketEnds(fromMs, toMs, stepMs);
  if (ends.length < 2) {
    return null;
  }
  const parts = [
    { startMs: fromMs, endMs: ends[0] - stepMs },
    { startMs: ends[ends.length - 1], endMs: toMs },
  ].filter((p) => p.endMs > p.startMs);
  return { stepMs, ends, parts };
}

/** One series of the table: its counts per span end (bucket ends and part ends). */
export interface TableSeries {
  profile?: ProfileName;
  metric: Record<string, string>;
  counts: Map<number, number>;
}

const seriesKey = (profile: string | undefined, metric: Record<string, string>) =>
  JSON.stringify([profile ?? '', Object.entries(metric).sort(([a], [b]) => a.localeCompare(b))]);

/** Collects the range answers (buckets) and the instant answers (parts) of one pipeline into its series. */
export class TableSeriesSet {
  private readonly byKey = new Map<string, TableSeries>();

  add(profile: ProfileName | undefined, metric: Record<string, string>, endMs: number, value: number): void {
    if (!Number.isFinite(value) || value <= 0) {
      return;
    }
    const key = seriesKey(profile, metric);
    const series = this.byKey.get(key) ?? { ...(profile ? { profile } : {}), metric, counts: new Map<number, number>() };
    series.counts.set(endMs, (series.counts.get(endMs) ?? 0) + value);
    this.byKey.set(key, series);
  }

  addMatrix(profile: ProfileName | undefined, series: readonly MatrixSeries[]): void {
    for (const s of series) {
      s.values.forEach(([t, v]) => this.add(profile, s.metric, t, v));
    }
  }

  all(): TableSeries[] {
    return [...this.byKey.values()];
  }
}

/** Each series summed over the whole window: the rows an instant count of the window gives. */
export function windowRows(series: readonly TableSeries[], toMs: number): VectorSample[] {
  return series.map((s) => ({ metric: s.metric, timeMs: toMs, value: [...s.counts.values()].reduce((a, b) => a + b, 0) }));
}

/**
 * The series the kept table series add up to per `keys` and per bucket of `stepMs` (a multiple of
 * the table's step) ending at `ends`: what a range query grouped by `keys` with that step gives.
 * Only whole table buckets count; the window's head and tail belong to no such bucket.
 */
export function regroup(
  series: readonly TableSeries[],
  layout: BucketLayout,
  keep: (metric: Record<string, string>) => boolean,
  keys: readonly string[],
  stepMs: number,
  ends: readonly number[]
): MatrixSeries[] {
  if (stepMs % layout.stepMs !== 0) {
    throw new Error(`A ${stepMs} ms bucket is not made of whole ${layout.stepMs} ms table buckets.`);
  }
  const tableEnds = new Set(layout.ends);
  const wanted = new Set(ends);
  const out = new Map<string, { metric: Record<string, string>; byEnd: Map<number, number> }>();
  for (const s of series) {
    if (!keep(s.metric)) {
      continue;
    }
    const metric = Object.fromEntries(keys.filter((k) => (s.metric[k] ?? '') !== '').map((k) => [k, s.metric[k]]));
    const key = seriesKey(undefined, metric);
    const entry = out.get(key) ?? { metric, byEnd: new Map<number, number>() };
    for (const [t, v] of s.counts) {
      const end = Math.ceil(t / stepMs) * stepMs;
      if (tableEnds.has(t) && wanted.has(end)) {
        entry.byEnd.set(end, (entry.byEnd.get(end) ?? 0) + v);
      }
    }
    out.set(key, entry);
  }
  return [...out.values()]
    .filter((e) => e.byEnd.size > 0)
    .map((e) => ({ metric: e.metric, values: [...e.byEnd].sort(([a], [b]) => a - b) }));
}

/** The span (bucket or part) of the window ending at `endMs`. */
function spanEnding(layout: BucketLayout, endMs: number): Span {
  return layout.parts.find((p) => p.endMs === endMs) ?? { startMs: endMs - layout.stepMs, endMs };
}

/** The latest span holding a kept series' count: the newest evidence line is in it. Null when none. */
export function lastSpanWith(series: readonly TableSeries[], layout: BucketLayout, keep: (s: TableSeries) => boolean): Span | null {
  let last = -Infinity;
  for (const s of series) {
    if (keep(s)) {
      s.counts.forEach((_, t) => (last = Math.max(last, t)));
    }
  }
  return Number.isFinite(last) ? spanEnding(layout, last) : null;
}
