/**
 * Prometheus-style sample values and timestamps as Loki writes them for matrix, vector and scalar
 * results: the value is a string (Go's FormatFloat, so "NaN", "+Inf", "-Inf" occur), the time a
 * JSON number of seconds with millisecond fraction.
 */

/** The number in a sample value string, or `undefined` when it is not one. */
export function parseSampleValue(text: string): number | undefined {
  if (text === '') {
    return undefined;
  }
  const n = Number(text);
  // Number() also reads whitespace-only text as 0; a real zero always has a digit.
  if (n === n && (n !== 0 || /\d/.test(text))) {
    return n;
  }
  switch (text) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default:
      return undefined;
  }
}

/** Epoch milliseconds of a float-seconds timestamp; rounding drops float noise below the ms. */
export function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1000);
}
