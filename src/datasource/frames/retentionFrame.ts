import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import { DAY_MS, FRAME, RETENTION_FIELD as R } from '../../core/frames';
import type { MatrixSeries } from '../../core/loki/types';
import type { LogClass } from '../../core/policy';
import type { ClassRetention } from '../../core/retention/evaluate';
import { formatRetentionDays } from '../../core/retention/status';

/** One log class × one UTC day: were lines observed, and how many (from a daily line count). */
export interface RetentionRow {
  logClass: string;
  dayMs: number;
  lines: number;
  covered: boolean;
  requiredDays: number;
}

/**
 * Lays a class's daily count series onto every UTC day of the range, so a day with no sample
 * shows up as an uncovered gap rather than vanishing. A point at time t from `count_over_time(...[1d])`
 * counts the day that ends at t, hence the day containing t - 1 ms.
 */
export function retentionRows(
  logClass: LogClass,
  series: MatrixSeries[],
  range: { fromMs: number; toMs: number }
): RetentionRow[] {
  const perDay = new Map<number, number>();
  for (const s of series) {
    for (const [t, v] of s.values) {
      if (!Number.isFinite(v) || v < 0) {
        continue;
      }
      const day = Math.floor((t - 1) / DAY_MS) * DAY_MS;
      perDay.set(day, (perDay.get(day) ?? 0) + v);
    }
  }
  const rows: RetentionRow[] = [];
  const first = Math.floor(range.fromMs / DAY_MS) * DAY_MS;
  for (let day = first; day < range.toMs; day += DAY_MS) {
    const lines = perDay.get(day) ?? 0;
    rows.push({ logClass: logClass.name, dayMs: day, lines, covered: lines > 0, requiredDays: logClass.retentionDays });
  }
  return rows;
}

export function retentionFrame(rows: RetentionRow[], refId?: string): DataFrame {
  return createDataFrame({
    name: FRAME.retention,
    refId,
    fields: [
      {
        name: R.logClass,
        type: FieldType.string,
        values: rows.map((r) => r.logClass),
        config: { displayName: 'Log class' },
      },
      { name: R.day, type: FieldType.time, values: rows.map((r) => r.dayMs), config: { displayName: 'Day (UTC)' } },
      {
        name: R.lines,
        type: FieldType.number,
        values: rows.map((r) => r.lines),
        config: { displayName: 'Lines', unit: 'short' },
      },
      {
        name: R.covered,
        type: FieldType.boolean,
        values: rows.map((r) => r.covered),
        config: { displayName: 'Covered' },
      },
      {
        name: R.requiredDays,
        type: FieldType.number,
        values: rows.map((r) => r.requiredDays),
        config: { displayName: 'Required retention', unit: 'd' },
      },
    ],
    meta: { preferredVisualisationType: 'table' },
  });
}

/**
 * The retention frame from the index (issue 12): the fields above, then per row the bytes the index
 * saw that day and the class's configured retention, status and reason. `lines` stays null: the
 * index counts bytes, and a line count would need the scan this query exists to avoid.
 */
export function retentionIndexFrame(
  classes: readonly ClassRetention[],
  refId?: string,
  /** A link for a gap day of a class, e.g. to Explore; none when absent. */
  gapLink?: (logClass: string, dayMs: number) => string | undefined
): DataFrame {
  const rows = classes.flatMap((c) =>
    c.observed.days.map((d) => ({
      logClass: c.name,
      dayMs: d.dayMs,
      bytes: d.bytes,
      requiredDays: c.requiredDays,
      configuredDays: c.configured.known && c.configured.periodMs > 0 ? c.configured.periodMs / DAY_MS : null,
      configured: c.configured.known ? formatRetentionDays(c.configured.periodMs) : 'unknown',
      status: c.status,
      reason: c.reason,
      explore: d.bytes === 0 && c.observed.gapDaysMs.includes(d.dayMs) ? (gapLink?.(c.name, d.dayMs) ?? '') : '',
    }))
  );
  return createDataFrame({
    name: FRAME.retention,
    refId,
    fields: [
      {
        name: R.logClass,
        type: FieldType.string,
        values: rows.map((r) => r.logClass),
        config: { displayName: 'Log class' },
      },
      { name: R.day, type: FieldType.time, values: rows.map((r) => r.dayMs), config: { displayName: 'Day (UTC)' } },
      {
        name: R.lines,
        type: FieldType.number,
        values: rows.map(() => null),
        config: { displayName: 'Lines', unit: 'short' },
      },
      {
        name: R.covered,
        type: FieldType.boolean,
        values: rows.map((r) => r.bytes > 0),
        config: { displayName: 'Covered' },
      },
      {
        name: R.requiredDays,
        type: FieldType.number,
        values: rows.map((r) => r.requiredDays),
        config: { displayName: 'Required retention', unit: 'd' },
      },
      {
        name: R.bytes,
        type: FieldType.number,
        values: rows.map((r) => r.bytes),
        config: { displayName: 'Bytes (index)', unit: 'bytes' },
      },
      {
        name: R.configuredDays,
        type: FieldType.number,
        values: rows.map((r) => r.configuredDays),
        config: { displayName: 'Configured retention', unit: 'd' },
      },
      {
        name: R.configured,
        type: FieldType.string,
        values: rows.map((r) => r.configured),
        config: { displayName: 'Configured' },
      },
      { name: R.status, type: FieldType.string, values: rows.map((r) => r.status), config: { displayName: 'Status' } },
      { name: R.reason, type: FieldType.string, values: rows.map((r) => r.reason), config: { displayName: 'Reason' } },
      {
        name: R.explore,
        type: FieldType.string,
        values: rows.map((r) => r.explore),
        config: { displayName: 'Lines around the gap' },
      },
    ],
    meta: { preferredVisualisationType: 'table' },
  });
}
