/**
 * Required vs configured vs observed, per log class: one status and the reason for it.
 *
 * Order of the checks: a configured retention shorter than the policy fails whatever the data
 * shows (the compactor will delete what is required); then missing days, which are facts on their
 * own; then a range too short to prove the requirement; then a configuration Mesh Audit could not
 * read. Only a class that passes all of them meets the policy.
 */
import { DAY_MS } from '../frames';
import type { ClassObservation } from './coverage';

export type RetentionStatus = 'meets' | 'configured-short' | 'gap' | 'range-too-short' | 'unknown';

export const RETENTION_STATUSES: readonly RetentionStatus[] = [
  'meets',
  'configured-short',
  'gap',
  'range-too-short',
  'unknown',
];

/** Configured retention of a class: the shortest Loki keeps any of its stream groups. */
export type ConfiguredRetention =
  | {
      known: true;
      /** 0 = forever. */ periodMs: number;
      /** Which rule or setting decided, for the reason. */ basis: string;
    }
  | { known: false; why: string };

export interface ClassVerdict {
  status: RetentionStatus;
  reason: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const formatRetentionDays = (periodMs: number) =>
  periodMs === 0 ? 'forever' : `${+(periodMs / DAY_MS).toFixed(2)}d`;

function listDays(days: readonly number[], max = 5): string {
  const shown = days.slice(0, max).map(day).join(', ');
  return days.length > max ? `${shown} and ${days.length - max} more` : shown;
}

export function classVerdict(
  requiredDays: number,
  configured: ConfiguredRetention,
  observed: ClassObservation,
  rangeDays: number
): ClassVerdict {
  if (configured.known && configured.periodMs !== 0 && configured.periodMs < requiredDays * DAY_MS) {
    return {
      status: 'configured-short',
      reason: `Loki keeps ${formatRetentionDays(configured.periodMs)} (${configured.basis}); the policy requires ${requiredDays}d.`,
    };
  }
  if (observed.oldestDayMs === null) {
    return { status: 'gap', reason: `No data in any of the ${rangeDays} days of the range.` };
  }
  if (observed.gapDaysMs.length > 0) {
    const before = observed.gapDaysMs.filter((d) => d < observed.oldestDayMs!);
    const inside = observed.gapDaysMs.filter((d) => d > observed.oldestDayMs!);
    const parts = [
      ...(before.length > 0
        ? [`no data before ${day(observed.oldestDayMs)} (${before.length} day(s) of the range)`]
        : []),
      ...(inside.length > 0 ? [`${inside.length} day(s) without data after ${day(observed.oldestDayMs)}: ${listDays(inside)}`] : []),
    ];
    return { status: 'gap', reason: `${parts.join('; ')}.` };
  }
  if (rangeDays < requiredDays) {
    return {
      status: 'range-too-short',
      reason: `Data on every day of the ${rangeDays}-day range; widen the range to ${requiredDays} days to prove ${requiredDays}-day retention.`,
    };
  }
  if (!configured.known) {
    return {
      status: 'unknown',
      reason: `Data on every day of the ${rangeDays}-day range, but Loki's configured retention is unknown: ${configured.why}`,
    };
  }
  return {
    status: 'meets',
    reason: `Data on every day since ${day(observed.oldestDayMs)}; Loki keeps ${formatRetentionDays(configured.periodMs)} (${configured.basis}), the policy requires ${requiredDays}d.`,
  };
}
