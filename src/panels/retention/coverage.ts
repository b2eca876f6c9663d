import type { DataFrame } from '@grafana/data';
import { DAY_MS, RETENTION_FIELD } from '../../core/frames';
import type { RetentionStatus } from '../../core/retention/status';
import { requireField } from '../frames/findFrame';

export interface DayCell {
  dayMs: number;
  lines: number;
  /** Data was seen that day (lines counted, or bytes in Loki's index). */
  covered: boolean;
  /** What was seen, for the day's tooltip: "42 lines", "18 KiB in the index". */
  seen: string;
  /** The day is still being written (it ends after the range): never a gap. */
  partial: boolean;
  /** A day inside the observed span with no lines, or fewer than the gap threshold allows. */
  gap: boolean;
  /** For a gap day, where to see the lines around it (Explore). */
  href?: string;
}

/**
 * What the retention panel says about one log class:
 * - `proven`: lines reach back at least the required number of days, with no gap in between;
 * - `gaps`: they reach back far enough, but some days in between are missing or thin;
 * - `short`: the oldest line is younger than the requirement (retention or collection fell short);
 * - `unknown`: the queried range is shorter than the requirement, so it cannot tell.
 */
export type CoverageStatus = 'proven' | 'gaps' | 'short' | 'unknown' | RetentionStatus;

export interface ClassCoverage {
  logClass: string;
  requiredDays: number;
  days: DayCell[];
  /** Days from the oldest observed day to the end of the range; 0 when nothing was observed. */
  observedDays: number;
  oldestMs: number | null;
  gapDays: number;
  status: CoverageStatus;
  /** Why, in words an auditor can read. */
  reason: string;
  /** What Loki is configured to keep ("365d", "forever", "unknown"); absent from a line-count frame. */
  configured?: string;
}

const column = (frame: DataFrame, name: string) => requireField(frame, name).values;

function median(values: number[]): number {
  if (values.length === 0) {
    return 0;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Per log class, day-by-day coverage from the data source's `retention` frame (one row per class and
 * UTC day). `gapThreshold` marks a day as a gap when its lines fall below that share of the median
 * observed day, so a service that logged only a trickle does not count as covered.
 */
export function summarizeCoverage(frame: DataFrame, gapThreshold: number, rangeEndMs = Infinity): ClassCoverage[] {
  const classes = column(frame, RETENTION_FIELD.logClass);
  const days = column(frame, RETENTION_FIELD.day);
  const lines = column(frame, RETENTION_FIELD.lines);
  const required = column(frame, RETENTION_FIELD.requiredDays);
  const byClass = new Map<string, { required: number; days: Array<{ dayMs: number; lines: number }> }>();
  for (let i = 0; i < frame.length; i++) {
    const name = String(classes[i]);
    const entry = byClass.get(name) ?? { required: Number(required[i]), days: [] };
    const n = Number(lines[i]);
    entry.days.push({ dayMs: Number(days[i]), lines: Number.isFinite(n) && n > 0 ? n : 0 });
    byClass.set(name, entry);
  }
  return [...byClass.entries()].map(([logClass, { required: requiredDays, days: raw }]) =>
    classCoverage(logClass, requiredDays, raw.sort((a, b) => a.dayMs - b.dayMs), gapThreshold, rangeEndMs)
  );
}

function classCoverage(
  logClass: string,
  requiredDays: number,
  raw: Array<{ dayMs: number; lines: number }>,
  gapThreshold: number,
  rangeEndMs: number
): ClassCoverage {
  const partial = (d: { dayMs: number }) => d.dayMs + DAY_MS > rangeEndMs;
  const typical = median(raw.filter((d) => d.lines > 0 && !partial(d)).map((d) => d.lines));
  const oldestIndex = raw.findIndex((d) => d.lines > 0);
  const cells: DayCell[] = raw.map((d, i) => ({
    ...d,
    covered: d.lines > 0,
    seen: `${d.lines} lines`,
    partial: partial(d),
    gap: !partial(d) && oldestIndex >= 0 && i >= oldestIndex && (d.lines === 0 || d.lines < gapThreshold * typical),
  }));
  const rangeDays = raw.length;
  const observedDays = oldestIndex >= 0 ? rangeDays - oldestIndex : 0;
  const gapDays = cells.filter((c) => c.gap).length;
  const oldestMs = oldestIndex >= 0 ? raw[oldestIndex].dayMs : null;
  const base = { logClass, requiredDays, days: cells, observedDays, oldestMs, gapDays };
  if (rangeDays < requiredDays) {
    return {
      ...base,
      status: 'unknown',
      reason: `The time range covers ${rangeDays} days; widen it to at least ${requiredDays} days to prove ${requiredDays}-day retention.`,
    };
  }
  if (oldestMs === null) {
    return { ...base, status: 'short', reason: `No lines at all in the last ${rangeDays} days.` };
  }
  if (observedDays < requiredDays) {
    return {
      ...base,
      status: 'short',
      reason: `The oldest line is ${observedDays} days old; the policy requires ${requiredDays}. Check Loki's retention for this class, or when collection started.`,
    };
  }
  if (gapDays > 0) {
    return { ...base, status: 'gaps', reason: `Lines reach back ${observedDays} days, but ${gapDays} day(s) in between are missing or thin.` };
  }
  return { ...base, status: 'proven', reason: `Lines on every day of the last ${observedDays} days (required ${requiredDays}).` };
}

export const dayLabel = (ms: number) => new Date(ms).toISOString().slice(0, 10);
