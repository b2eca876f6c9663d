/**
 * One log class's required, configured and observed retention, from what the data source read:
 * the index's volume series and Loki's retention limits (or why they could not be read).
 *
 * Configured retention is resolved per stream group the index reported for the class (the series
 * carry the labels of Loki's retention rules too), and the class gets the shortest of them: a class
 * is only kept as long as its least-kept streams. Without any series, the class's own labels stand
 * in for a stream, and the reason says so.
 */
import type { MatrixSeries } from '../loki/types';
import type { LogClass } from '../policy';
import { resolveRetention, type RetentionLimits } from './configured';
import { observeCoverage, type ClassObservation, type DayRange } from './coverage';
import { classVerdict, type ClassVerdict, type ConfiguredRetention } from './status';

export interface ClassRetention extends ClassVerdict {
  name: string;
  requiredDays: number;
  configured: ConfiguredRetention;
  observed: ClassObservation;
}

const labelsText = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;

export function configuredForClass(
  limits: RetentionLimits,
  logClass: LogClass,
  series: ReadonlyArray<Record<string, string>>
): ConfiguredRetention {
  const groups = series.length > 0 ? series : [logClass.selector];
  let shortest: { periodMs: number; basis: string } | null = null;
  for (const labels of groups) {
    const resolved = resolveRetention(limits, labels);
    const basis = resolved.rule
      ? `rule ${resolved.rule.selector} priority ${resolved.rule.priority} in ${limits.source}`
      : `retention_period in ${limits.source}`;
    const longer = (a: number, b: number) => (a === 0 ? b !== 0 : b !== 0 && a > b);
    if (!shortest || longer(shortest.periodMs, resolved.periodMs)) {
      shortest = {
        periodMs: resolved.periodMs,
        basis: series.length > 0 ? `${basis}, for ${labelsText(labels)}` : basis,
      };
    }
  }
  const chosen = shortest!;
  return {
    known: true,
    periodMs: chosen.periodMs,
    basis:
      series.length === 0
        ? `${chosen.basis}; no stream of the class in the range, resolved for its own labels`
        : chosen.basis,
  };
}

export function evaluateRetention(
  classes: readonly LogClass[],
  series: readonly MatrixSeries[],
  limits: RetentionLimits | { unknown: string },
  range: DayRange
): ClassRetention[] {
  const observed = observeCoverage(
    classes.map((c) => ({
      name: c.name,
      matchers: Object.entries(c.selector).map(([label, value]) => ({ label, op: '=' as const, value })),
    })),
    series,
    range
  );
  // The UTC days the range touches: a 3-hour range inside one day is a 1-day range, not a 0-day one.
  const rangeDays = range.dayCount;
  return classes.map((logClass, i) => {
    const configured: ConfiguredRetention =
      'unknown' in limits
        ? { known: false, why: limits.unknown }
        : configuredForClass(limits, logClass, observed[i].series);
    return {
      name: logClass.name,
      requiredDays: logClass.retentionDays,
      configured,
      observed: observed[i],
      ...classVerdict(logClass.retentionDays, configured, observed[i], rangeDays),
    };
  });
}
