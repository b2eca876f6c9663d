/**
 * Reading the retention frame the data source writes from Loki's index (issue 12): per class, the
 * data source's own status and reason, required and configured retention, and a cell per day. The
 * panel does not judge thin days here: index bytes count whole chunks (a chunk across midnight
 * counts on both days), so only a day without any bytes is a gap, which is what the status says.
 */
import type { DataFrame } from '@grafana/data';
import { DAY_MS, RETENTION_FIELD as R } from '../../core/frames';
import { RETENTION_STATUSES, type RetentionStatus } from '../../core/retention/status';
import { fieldOf, FrameShapeError, requireField } from '../frames/findFrame';
import type { ClassCoverage, DayCell } from './coverage';

/** Whether the frame is the index-based one (it carries a status per row). */
export const isIndexFrame = (frame: DataFrame) => fieldOf(frame, R.status) !== undefined;

const kib = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;

export function summarizeIndexCoverage(frame: DataFrame, rangeEndMs = Infinity): ClassCoverage[] {
  const col = (name: string) => requireField(frame, name).values;
  const [names, days, bytes, required, configured, status, reason] = [
    R.logClass,
    R.day,
    R.bytes,
    R.requiredDays,
    R.configured,
    R.status,
    R.reason,
  ].map(col);
  const links = fieldOf(frame, R.explore)?.values;
  const byClass = new Map<string, ClassCoverage>();
  for (let i = 0; i < frame.length; i++) {
    const name = String(names[i]);
    const s = String(status[i]);
    if (!(RETENTION_STATUSES as readonly string[]).includes(s)) {
      throw new FrameShapeError(
        `the retention frame has status ${JSON.stringify(s)} for ${name}; expected one of ${RETENTION_STATUSES.join(', ')}`
      );
    }
    let c = byClass.get(name);
    if (!c) {
      c = {
        logClass: name,
        requiredDays: Number(required[i]),
        days: [],
        observedDays: 0,
        oldestMs: null,
        gapDays: 0,
        status: s as RetentionStatus,
        reason: String(reason[i]),
        configured: String(configured[i]),
      };
      byClass.set(name, c);
    }
    const dayMs = Number(days[i]);
    const b = Number(bytes[i]);
    const covered = Number.isFinite(b) && b > 0;
    const partial = dayMs + DAY_MS > rangeEndMs;
    const cell: DayCell = {
      dayMs,
      lines: 0,
      covered,
      seen: covered ? `${kib(b)} in the index` : 'nothing in the index',
      partial,
      gap: !covered && !partial,
    };
    const href = links?.[i];
    if (cell.gap && typeof href === 'string' && href !== '') {
      cell.href = href;
    }
    c.days.push(cell);
  }
  for (const c of byClass.values()) {
    c.days.sort((a, b) => a.dayMs - b.dayMs);
    const oldest = c.days.findIndex((d) => d.covered);
    c.oldestMs = oldest >= 0 ? c.days[oldest].dayMs : null;
    c.observedDays = oldest >= 0 ? c.days.length - oldest : 0;
    c.gapDays = c.days.filter((d) => d.gap).length;
  }
  return [...byClass.values()];
}

export interface WeekRow {
  /** The Monday (UTC) the row starts on. */
  weekMs: number;
  /** Seven slots, Monday first; null where the range does not reach. */
  days: Array<DayCell | null>;
}

/** Days laid out as weeks (rows) of seven days, so a 400-day range is 58 short rows rather than one long strip. */
export function weekRows(days: readonly DayCell[]): WeekRow[] {
  const rows = new Map<number, WeekRow>();
  for (const d of days) {
    const weekday = (new Date(d.dayMs).getUTCDay() + 6) % 7;
    const weekMs = d.dayMs - weekday * DAY_MS;
    let row = rows.get(weekMs);
    if (!row) {
      row = { weekMs, days: Array(7).fill(null) };
      rows.set(weekMs, row);
    }
    row.days[weekday] = d;
  }
  return [...rows.values()].sort((a, b) => a.weekMs - b.weekMs);
}
