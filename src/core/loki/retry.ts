/**
 * Bounded exponential backoff with jitter for answers Loki asks us to repeat later. Only
 * `too many outstanding requests` (the tenant's query queue is full) qualifies: it clears as
 * queued queries finish. The ingestion rate limit is a 429 too, but it refuses pushes, not
 * queries: it never comes from a query endpoint, and if a proxy relays it, repeating a read does
 * nothing to the per-second write budget, so it is reported at once.
 */
import { LokiError } from './errors';

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** First delay before jitter (default 500 ms); doubles per retry. */
  baseDelayMs?: number;
  /** Cap on one delay (default 8 s). */
  maxDelayMs?: number;
  /** Give up when the next delay would end later than this after the first attempt (default 30 s). */
  maxElapsedMs?: number;
  /** Injectable for tests; must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable for tests; [0, 1). */
  random?: () => number;
  /** Injectable for tests; epoch ms. */
  now?: () => number;
}

export function abortedError(signal?: AbortSignal): LokiError {
  const reason = signal?.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return new LokiError({
    kind: 'aborted',
    status: 0,
    lokiMessage: '',
    message: `The Loki request was aborted${reason}.`,
    cause: signal?.reason,
  });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The pause before retry `n` (0-based): half fixed, half random, so clients do not retry in step. */
export function backoffDelayMs(n: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 500;
  const cap = Math.min(options.maxDelayMs ?? 8000, base * 2 ** n);
  const random = options.random ?? Math.random;
  return cap / 2 + random() * (cap / 2);
}

/** Runs `attempt`, repeating it after a pause while it fails with a retryable LokiError. */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  options: RetryOptions = {},
  signal?: AbortSignal
): Promise<T> {
  const maxRetries = options.maxRetries ?? 3;
  const maxElapsedMs = options.maxElapsedMs ?? 30_000;
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? sleep;
  const started = now();
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof LokiError) || !error.retryable) {
        throw error;
      }
      const delay = backoffDelayMs(n, options);
      if (n >= maxRetries || now() + delay - started > maxElapsedMs) {
        error.message += ` (gave up after ${n + 1} attempt${n === 0 ? '' : 's'})`;
        throw error;
      }
      await pause(delay, signal);
    }
  }
}
