/**
 * Times and durations as request parameters. Loki reads an integer timestamp as nanoseconds
 * unless it has at most 10 digits, then as seconds (pkg/loghttp/params.go), so times are sent
 * as ns integers and, in the rare case that would be misread (within ~10 s of the epoch or
 * before it), as RFC 3339.
 */
import { formatStepParam } from './duration';
import { LokiError } from './errors';

export function invalidRequest(message: string): LokiError {
  return new LokiError({ kind: 'invalid-request', status: 0, lokiMessage: '', message });
}

export function timeParam(ms: number, name: string): string {
  if (!Number.isFinite(ms)) {
    throw invalidRequest(`${name} must be a finite time in epoch milliseconds, got ${ms}.`);
  }
  const whole = Math.round(ms);
  const ns = (BigInt(whole) * BigInt(1_000_000)).toString();
  return ns.length <= 10 ? new Date(whole).toISOString() : ns;
}

export function stepParam(ms: number, name = 'step'): string {
  if (!Number.isFinite(ms) || ms <= 0) {
    throw invalidRequest(`${name} must be a positive duration in milliseconds, got ${ms}.`);
  }
  return formatStepParam(ms);
}

/** Loki's own default step for a range (max(floor(range_seconds / 250), 1) s), made explicit. */
export function defaultStepMs(startMs: number, endMs: number): number {
  return Math.max(Math.floor((endMs - startMs) / 1000 / 250), 1) * 1000;
}

export function checkRange(startMs: number, endMs: number): void {
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) {
    throw invalidRequest(`The time range must be finite epoch milliseconds, got ${startMs}..${endMs}.`);
  }
  if (endMs <= startMs) {
    throw invalidRequest(
      `The time range ends (${new Date(endMs).toISOString()}) before or when it starts (${new Date(startMs).toISOString()}).`
    );
  }
}

/** `limit` must be a positive integer: Loki treats 0 as "no entries", never as "no limit". */
export function limitParam(limit: number, name = 'limit'): string {
  if (!Number.isInteger(limit) || limit <= 0) {
    throw invalidRequest(`${name} must be a positive whole number, got ${limit}.`);
  }
  return String(limit);
}
