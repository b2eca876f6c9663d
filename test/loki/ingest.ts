/**
 * Puts the conformance window into a real Loki once per tenant: pushes it when the tenant is
 * empty, waits until Loki answers with every line, and refuses a tenant holding anything else
 * (a partial or different push would make every comparison meaningless).
 */
import type { GeneratedLine } from '../../loggen/generate';
import { http, type HttpAnswer } from './http';
import { FIRST_WINDOW, pushBodies, WINDOW, WINDOW_END_MS, type ConformanceWindow, type Leg } from './window';

function lokiFetch(lokiUrl: string, tenant: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
  return http(lokiUrl.replace(/\/+$/, '') + path, { ...init, headers: { ...init.headers, 'X-Scope-OrgID': tenant, 'Cache-Control': 'no-cache' } });
}

/** Lines Loki holds for the tenant in a window (default: the conformance window), counted by Loki itself. */
export async function linesInLoki(
  lokiUrl: string,
  tenant: string,
  span: { endMs: number; durationMs: number; selector: string } = { endMs: WINDOW_END_MS, durationMs: WINDOW.durationMs, selector: '{log_type="access"}' }
): Promise<number> {
  const hours = Math.ceil(span.durationMs / 3_600_000) + 1;
  const params = new URLSearchParams({
    query: `sum(count_over_time(${span.selector}[${hours}h]))`,
    time: String((span.endMs + 60_000) * 1e6),
  });
  const response = await lokiFetch(lokiUrl, tenant, `/loki/api/v1/query?${params}`);
  if (response.status !== 200) {
    throw new Error(`Loki at ${lokiUrl} answered ${response.status} to the line count: ${response.body}`);
  }
  const result = JSON.parse(response.body).data.result as Array<{ value: [number, string] }>;
  return result.length === 0 ? 0 : Number(result[0].value[1]);
}

/** Pushes like a shipper: small batches, and a 429 (ingestion rate limit) waits and retries. */
export async function pushWindow(lokiUrl: string, leg: Leg, lines: readonly GeneratedLine[], tenant: string): Promise<void> {
  for (const body of pushBodies(lines, leg)) {
    for (let attempt = 0; ; attempt++) {
      const response = await lokiFetch(lokiUrl, tenant, '/loki/api/v1/push', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status < 300) {
        break;
      }
      if (response.status !== 429 || attempt >= 20) {
        throw new Error(`Loki refused a push for tenant ${tenant} (${response.status}): ${response.body}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * Math.min(8, attempt + 1)));
    }
  }
}

/**
 * Pushes the window into an empty tenant, or leaves a tenant that holds exactly it, then waits
 * until every line is queryable. A tenant holding part of the window cannot be completed (Loki
 * refuses lines far older than a stream's newest) and one holding more is someone else's data:
 * both stop the run with what to do.
 */
export async function ensureWindow(lokiUrl: string, leg: Leg, window: ConformanceWindow = FIRST_WINDOW, timeoutMs = 10 * 60_000): Promise<{ pushed: boolean }> {
  const tenant = window.tenants[leg];
  const lines = window.lines();
  const span = { endMs: window.spec.startMs + window.spec.durationMs, durationMs: window.spec.durationMs, selector: '{log_type="access"}' };
  const wrong = (n: number) =>
    new Error(`Tenant ${tenant} holds ${n} lines in the window, not 0 or the window's ${lines.length}: use a fresh Loki (or wipe its data) and run again.`);
  const before = await linesInLoki(lokiUrl, tenant, span);
  if (before !== 0 && before !== lines.length) {
    throw wrong(before);
  }
  if (before === 0) {
    await pushWindow(lokiUrl, leg, lines, tenant);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await linesInLoki(lokiUrl, tenant, span);
    if (now === lines.length) {
      return { pushed: before === 0 };
    }
    if (now > lines.length) {
      throw wrong(now);
    }
    if (Date.now() > deadline) {
      throw new Error(`Tenant ${tenant}: Loki answers ${now} of the ${lines.length} pushed lines after ${timeoutMs / 1000} s.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
