/**
 * Range durations: typed milliseconds rendered as Loki/Prometheus durations, or an explicit
 * Grafana variable for dashboards and alert rules (Grafana substitutes it before Loki sees it;
 * `[$__auto]` is not LogQL on its own).
 */
import { LogqlError } from './errors';

export const GRAFANA_DURATION_VARIABLES = ['$__interval', '$__range', '$__auto'] as const;
export type GrafanaDurationVariable = (typeof GRAFANA_DURATION_VARIABLES)[number];

/** A range: milliseconds, or a Grafana variable chosen explicitly. */
export type RangeDuration = number | { grafanaVariable: GrafanaDurationVariable };

export const MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

// Largest first; weeks and years are accepted when parsing but never emitted (d reads plainer).
const EMIT_UNITS: Array<[string, number]> = [
  ['d', MS.d],
  ['h', MS.h],
  ['m', MS.m],
  ['s', MS.s],
  ['ms', MS.ms],
];

/** `5m`, `1h30m`, `1m30s`, `1d`: the shortest exact Loki duration for a positive whole ms count. */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new LogqlError(`a duration must be a positive whole number of milliseconds, got ${ms}`);
  }
  let rest = ms;
  let text = '';
  for (const [unit, size] of EMIT_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}

export function renderRange(range: RangeDuration): string {
  if (typeof range === 'number') {
    return formatDuration(range);
  }
  if (!GRAFANA_DURATION_VARIABLES.includes(range.grafanaVariable)) {
    throw new LogqlError(`unsupported Grafana duration variable ${JSON.stringify(range.grafanaVariable)}`);
  }
  return range.grafanaVariable;
}

const DURATION_PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Parse a Prometheus/Loki duration (`90s`, `1h30m`, `7d`, `2w`, `1y`) into milliseconds.
 * Units must appear largest first, each at most once; the result must be positive.
 */
export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match || text.trim() === '') {
    throw new LogqlError(
      `invalid duration ${JSON.stringify(text)}: expected a Loki duration such as 30s, 5m, 1h30m, 7d (units y w d h m s ms, largest first)`
    );
  }
  const sizes = [MS.y, MS.w, MS.d, MS.h, MS.m, MS.s, MS.ms];
  const ms = sizes.reduce((sum, size, i) => sum + (match[i + 1] ? Number(match[i + 1]) * size : 0), 0);
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new LogqlError(`invalid duration ${JSON.stringify(text)}: must be greater than zero and finite`);
  }
  return ms;
}
