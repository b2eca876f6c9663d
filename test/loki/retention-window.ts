/**
 * The retention window (issue 12): eight UTC days of lines in one tenant of a real Loki, with a
 * deliberate gap, fixed so that a live run and its replay send the very same requests.
 *
 * - mesh access logs of `shop` and `payments` on every day but GAP_DAY;
 * - audit logs from the third day on, the gap day included, so the audit class's oldest day is
 *   later than the range's first and its missing days come before it.
 *
 * Lines are pushed a day at a time, and the next day waits until the ingester's flush check
 * (flush_check_period, 30 s) has closed the day's chunks, as it does in normal operation where a
 * chunk never spans more than max_chunk_age. Pushed back to back instead, one chunk holds several
 * days and the index reports bytes on the gap day (seen on Loki 3.7.3).
 */
import { http } from './http';

export const RETENTION_TENANT = 'retention-gap';
export const RETENTION_LOKI_UID = 'loki-retention';

/**
 * A tenant with its own retention_stream in Loki's runtime config: the live test writes these
 * overrides into the file Loki was started with (-runtime-config.file=$LOKI_RUNTIME_CONFIG) and
 * compares what Loki then holds for the tenant with limitsFromLokiConfig's reading of them.
 */
export const OVERRIDE_TENANT = 'retention-override';
export const OVERRIDE_LOKI_UID = 'loki-retention-override';
/** A tenant whose index may hold only 2 stream groups per volume query, holding 3: the query must say so, not drop one. */
export const CAPPED_TENANT = 'retention-capped';
export const CAPPED_LOKI_UID = 'loki-retention-capped';
export const RUNTIME_OVERRIDES = {
  overrides: {
    [OVERRIDE_TENANT]: { retention_stream: [{ selector: '{log_type="audit"}', priority: 1, period: '48h' }] },
    [CAPPED_TENANT]: { volume_max_series: 2 },
  },
};

const DAY = 86_400_000;
export const RETENTION_DAYS = { firstMs: Date.UTC(2026, 10, 20), count: 8 };
export const GAP_DAY_MS = Date.UTC(2026, 10, 24);
export const AUDIT_FROM_MS = Date.UTC(2026, 10, 22);
/** The dashboard range: the eight days exactly. */
export const RETENTION_RANGE = {
  fromMs: RETENTION_DAYS.firstMs,
  toMs: RETENTION_DAYS.firstMs + RETENTION_DAYS.count * DAY,
};
/** One line every 15 minutes per stream. */
const LINE_EVERY_MS = 15 * 60_000;

export interface SeedStream {
  labels: Record<string, string>;
  /** UTC midnights of the days this stream has lines on. */
  days: number[];
}

const allDays = Array.from({ length: RETENTION_DAYS.count }, (_, i) => RETENTION_DAYS.firstMs + i * DAY);

export const SEED_STREAMS: SeedStream[] = [
  {
    labels: { log_type: 'access', namespace: 'shop', service_name: 'cart' },
    days: allDays.filter((d) => d !== GAP_DAY_MS),
  },
  {
    labels: { log_type: 'access', namespace: 'payments', service_name: 'payments-api' },
    days: allDays.filter((d) => d !== GAP_DAY_MS),
  },
  {
    // As the shippers label the API server's audit log: no namespace, unlike every access stream.
    labels: { platform: 'kubernetes', cluster: 'prod-eu', log_type: 'audit', service_name: 'kube-apiserver' },
    days: allDays.filter((d) => d >= AUDIT_FROM_MS),
  },
];

export const linesPerStreamDay = DAY / LINE_EVERY_MS;

function dayLines(stream: SeedStream, dayMs: number): Array<[string, string]> {
  const values: Array<[string, string]> = [];
  for (let t = dayMs; t < dayMs + DAY; t += LINE_EVERY_MS) {
    values.push([
      `${t}000000`,
      JSON.stringify({
        timestamp: new Date(t).toISOString(),
        log_type: stream.labels.log_type,
        service: stream.labels.service_name,
        seq: (t - dayMs) / LINE_EVERY_MS,
      }),
    ]);
  }
  return values;
}

/** A tenant, the streams pushed into it and the dashboard range the test asks for. */
export interface SeedWindow {
  tenant: string;
  streams: SeedStream[];
  range: { fromMs: number; toMs: number };
}

export const GAP_WINDOW: SeedWindow = { tenant: RETENTION_TENANT, streams: SEED_STREAMS, range: RETENTION_RANGE };

/**
 * An audit year and more: 400 days ending with the gap window's range, with lines on a few days
 * only, among them both sides of the 366-day max_query_length boundary of loki.yaml, so the
 * data source needs two index windows and the days where they meet must come out exact.
 */
export const YEAR_TENANT = 'retention-year';
export const YEAR_LOKI_UID = 'loki-retention-year';
const YEAR_FROM_MS = RETENTION_RANGE.toMs - 400 * DAY;
export const YEAR_WINDOW: SeedWindow = {
  tenant: YEAR_TENANT,
  streams: [
    {
      labels: { log_type: 'access', namespace: 'shop', service_name: 'cart' },
      days: [0, 100, 365, 366, 399].map((i) => YEAR_FROM_MS + i * DAY),
    },
  ],
  range: { fromMs: YEAR_FROM_MS, toMs: RETENTION_RANGE.toMs },
};

/** Days with lines per label set, the truth the live test compares Loki's index with. */
export function seededDays(
  match: (labels: Record<string, string>) => boolean,
  window: SeedWindow = GAP_WINDOW
): number[] {
  return [...new Set(window.streams.filter((s) => match(s.labels)).flatMap((s) => s.days))].sort((a, b) => a - b);
}

export const seededLines = (window: SeedWindow = GAP_WINDOW) =>
  window.streams.reduce((n, s) => n + s.days.length * linesPerStreamDay, 0);

function lokiRequest(
  tenant: string,
  lokiUrl: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {}
) {
  return http(lokiUrl.replace(/\/+$/, '') + path, {
    ...init,
    headers: { ...init.headers, 'X-Scope-OrgID': tenant, 'Cache-Control': 'no-cache' },
  });
}

const pushedDays = (window: SeedWindow) => [...new Set(window.streams.flatMap((s) => s.days))].sort((a, b) => a - b);

/**
 * Lines Loki holds on the window's pushed days, a day at a time (a year in one count would exceed
 * max_query_length). A range (t - 1d, t] leaves out its first instant, so t is 1 ms before the next
 * midnight: the day's 00:00 line is in, the next day's is not.
 */
async function linesHeld(lokiUrl: string, window: SeedWindow): Promise<number> {
  let total = 0;
  for (const dayMs of pushedDays(window)) {
    const params = new URLSearchParams({
      query: 'sum(count_over_time({log_type=~"access|audit"}[1d]))',
      time: String((dayMs + DAY - 1) * 1e6),
    });
    const answer = await lokiRequest(window.tenant, lokiUrl, `/loki/api/v1/query?${params}`);
    if (answer.status !== 200) {
      throw new Error(`Loki at ${lokiUrl} answered ${answer.status} to the line count: ${answer.body}`);
    }
    const result = JSON.parse(answer.body).data.result as Array<{ value: [number, string] }>;
    total += result.length === 0 ? 0 : Number(result[0].value[1]);
  }
  return total;
}

/**
 * Pushes the window into an empty tenant (needs -validation.reject-old-samples=false: the days are
 * older than a week), or leaves a tenant that holds exactly it; anything else stops the run.
 */
export async function ensureRetentionWindow(
  lokiUrl: string,
  window: SeedWindow = GAP_WINDOW,
  flushWaitMs = 35_000
): Promise<{ pushed: boolean; lines: number }> {
  const expected = seededLines(window);
  const before = await linesHeld(lokiUrl, window);
  if (before === expected) {
    return { pushed: false, lines: before };
  }
  if (before !== 0) {
    throw new Error(
      `Tenant ${window.tenant} holds ${before} lines in the window, not 0 or ${expected}: use a fresh Loki data directory.`
    );
  }
  for (const dayMs of pushedDays(window)) {
    const streams = window.streams
      .filter((s) => s.days.includes(dayMs))
      .map((s) => ({ stream: s.labels, values: dayLines(s, dayMs) }));
    const answer = await lokiRequest(window.tenant, lokiUrl, '/loki/api/v1/push', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ streams }),
    });
    if (answer.status >= 300) {
      throw new Error(
        `Loki refused the push of ${new Date(dayMs).toISOString().slice(0, 10)} (${answer.status}): ${answer.body}`
      );
    }
    await new Promise((resolve) => setTimeout(resolve, flushWaitMs));
  }
  const after = await linesHeld(lokiUrl, window);
  if (after !== expected) {
    throw new Error(`Tenant ${window.tenant}: Loki answers ${after} of the ${expected} pushed lines.`);
  }
  return { pushed: true, lines: after };
}

/** Three streams on one day of the gap window, for the tenant capped at 2 stream groups. */
export const CAPPED_WINDOW: SeedWindow = {
  tenant: CAPPED_TENANT,
  streams: SEED_STREAMS.map((s) => ({ labels: s.labels, days: [AUDIT_FROM_MS] })),
  range: RETENTION_RANGE,
};
