/**
 * Durations as Loki prints and reads them. Loki's errors mix two notations in one sentence:
 * Go's `time.Duration` ("48h0m0s", "1.5s", "300ms") and Prometheus' `model.Duration`
 * ("30d1h", "1w", "1y"), so one reader accepts the union of both unit sets.
 */

const UNIT_MS: Record<string, number> = {
  y: 365 * 24 * 3600 * 1000,
  w: 7 * 24 * 3600 * 1000,
  d: 24 * 3600 * 1000,
  h: 3600 * 1000,
  m: 60 * 1000,
  s: 1000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ns: 1e-6,
};

const PART = /(\d+(?:\.\d+)?)(ms|us|µs|μs|ns|y|w|d|h|m|s)/y;

/** Milliseconds of a Go or Prometheus duration string, or `undefined` when it is not one. */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') {
    return 0;
  }
  if (s.length === 0) {
    return undefined;
  }
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const m = PART.exec(s);
    if (!m) {
      return undefined;
    }
    total += parseFloat(m[1]) * UNIT_MS[m[2]];
  }
  return Math.round(total * 1e6) / 1e6;
}

// [unit, size, only when it divides the rest exactly] - Prometheus prints weeks only when exact.
const PROM_UNITS: Array<[string, number, boolean]> = [
  ['y', UNIT_MS.y, false],
  ['w', UNIT_MS.w, true],
  ['d', UNIT_MS.d, false],
  ['h', UNIT_MS.h, false],
  ['m', UNIT_MS.m, false],
  ['s', UNIT_MS.s, false],
  ['ms', 1, false],
];

/**
 * Prometheus notation of a whole number of milliseconds, as Loki prints limits
 * (721h -> "30d1h"); used in messages so they quote the same figure as Loki's config docs.
 */
export function formatDurationMs(ms: number): string {
  let rest = Math.round(ms);
  if (rest <= 0) {
    return '0s';
  }
  let out = '';
  for (const [unit, size, exact] of PROM_UNITS) {
    if (exact && rest % size !== 0) {
      continue;
    }
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/**
 * A step or interval parameter Loki accepts (`parseSecondsOrDuration`): a single unit, since
 * a float with a unit ("1.5s") is rejected. Whole seconds as "Ns", anything else as "Nms".
 */
export function formatStepParam(ms: number): string {
  const whole = Math.round(ms);
  return whole % 1000 === 0 ? `${whole / 1000}s` : `${whole}ms`;
}
