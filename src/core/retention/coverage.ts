/**
 * Observed coverage per log class and UTC day from Loki's index (`index/volume_range`, step 1d),
 * not from its chunks: the index answers in one request per window whatever the line count.
 *
 * What a day's bytes mean (Loki v3.7.3, pkg/querier/queryrange/volume.go and the TSDB index's
 * ChunkStats): each step bucket is its own volume request and counts every chunk that overlaps the
 * bucket, in full. So a day shows bytes when a chunk of the class overlaps it, and a chunk that
 * spans midnight counts on both days. Loki closes a chunk once it spans max_chunk_age (2h by
 * default) or sits idle for chunk_idle_period, so a silent day stays empty in normal operation; a
 * backlog pushed faster than the ingester's flush check can put several days in one chunk and
 * hide a gap between them (seen on Loki 3.7.3, research in the retention live test).
 */
import { DAY_MS } from '../frames';
import type { MatrixSeries } from '../loki/types';
import { selectorMatches, type SelectorMatcher } from './selector';

export interface CoverageClass {
  name: string;
  /** The class's own selector, as equality matchers. */
  matchers: SelectorMatcher[];
}

export interface ClassObservation {
  name: string;
  /** Every UTC day of the range, oldest first. */
  days: Array<{ dayMs: number; bytes: number }>;
  /** The label sets of the volume series that fell in this class (for resolving configured retention per stream group). */
  series: Array<Record<string, string>>;
  oldestDayMs: number | null;
  newestDayMs: number | null;
  /** Full days of the range without bytes; the range's last day is excluded while it is still running. */
  gapDaysMs: number[];
}

export interface DayRange {
  /** The first UTC midnight of the range. */
  firstDayMs: number;
  /** Days in the range, the last possibly partial. */
  dayCount: number;
  /** When the range ends (a partial last day has no gap: its data may still be coming). */
  endMs: number;
}

export function dayRange(fromMs: number, toMs: number): DayRange {
  const firstDayMs = Math.floor(fromMs / DAY_MS) * DAY_MS;
  const dayCount = Math.max(1, Math.ceil((toMs - firstDayMs) / DAY_MS));
  return { firstDayMs, dayCount, endMs: toMs };
}

/**
 * The UTC day a volume point belongs to. Loki stamps each bucket with its end: 1 ms before the next
 * midnight, but the range's last bucket with the range's end itself (both seen on Loki 3.7.3), so
 * the point belongs to the day of the millisecond before it.
 */
export function dayOfBucketPoint(timeMs: number): number {
  return Math.floor((timeMs - 1) / DAY_MS) * DAY_MS;
}

export function observeCoverage(
  classes: readonly CoverageClass[],
  series: readonly MatrixSeries[],
  range: DayRange
): ClassObservation[] {
  return classes.map((cls) => {
    const perDay = new Map<number, number>();
    const matched: Array<Record<string, string>> = [];
    for (const s of series) {
      if (!selectorMatches(cls.matchers, s.metric)) {
        continue;
      }
      matched.push(s.metric);
      for (const [t, v] of s.values) {
        if (Number.isFinite(v) && v > 0) {
          const day = dayOfBucketPoint(t);
          perDay.set(day, (perDay.get(day) ?? 0) + v);
        }
      }
    }
    const days: ClassObservation['days'] = [];
    const gapDaysMs: number[] = [];
    for (let i = 0; i < range.dayCount; i++) {
      const dayMs = range.firstDayMs + i * DAY_MS;
      const bytes = perDay.get(dayMs) ?? 0;
      days.push({ dayMs, bytes });
      if (bytes === 0 && dayMs + DAY_MS <= range.endMs) {
        gapDaysMs.push(dayMs);
      }
    }
    const withData = days.filter((d) => d.bytes > 0);
    return {
      name: cls.name,
      days,
      series: matched,
      oldestDayMs: withData.length > 0 ? withData[0].dayMs : null,
      newestDayMs: withData.length > 0 ? withData[withData.length - 1].dayMs : null,
      gapDaysMs,
    };
  });
}
