/**
 * Splitting a query_range into consecutive sub-ranges that each fit Loki's max_query_length and
 * its 11,000-points-per-series cap. Sub-ranges are contiguous and their lengths are whole steps,
 * so every sub-range evaluates on the same step grid as the whole range would. A shared boundary
 * is evaluated twice for metric queries (end is inclusive there) and once for log queries (end is
 * exclusive); the matrix merge drops the duplicate point.
 */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

/** Loki's default max_query_length: 721h (prints as 30d1h). */
export const DEFAULT_MAX_QUERY_LENGTH_MS = 721 * 3600 * 1000;
/** pkg/loghttp/query.go: more points than this per series is a 400. */
export const MAX_POINTS_PER_SERIES = 11_000;

export function splitRange(
  range: TimeRange,
  stepMs: number,
  maxLengthMs: number = DEFAULT_MAX_QUERY_LENGTH_MS,
  maxPoints: number = MAX_POINTS_PER_SERIES
): TimeRange[] {
  const length = range.endMs - range.startMs;
  const byPoints = stepMs * maxPoints;
  const cap = Math.min(maxLengthMs > 0 ? maxLengthMs : Infinity, byPoints);
  if (length <= cap) {
    return [{ ...range }];
  }
  // Whole steps, so sub-range starts stay on the step grid; a step longer than the cap cannot align.
  const chunk = stepMs <= cap ? Math.floor(cap / stepMs) * stepMs : cap;
  const parts: TimeRange[] = [];
  for (let start = range.startMs; start < range.endMs; start += chunk) {
    parts.push({ startMs: start, endMs: Math.min(start + chunk, range.endMs) });
  }
  return parts;
}
