/**
 * Retention on loggen's own data (issue 12's "done when"): four UTC days of loggen's traffic at a
 * low rate and its API servers' audit logs, as the normalising shippers label them, with the third
 * day missing, as if loggen and its shippers had not run that day. Pushed a day at a time, and
 * after each day Loki flushes every chunk (`/flush`), as its ingester does by itself once a
 * stream sits idle for chunk_idle_period (30 min): pushed back to back, a busy stream's last
 * chunk of the day before the gap, shorter than max_chunk_age, took the next day's lines too and
 * the index counted the gap day as covered (seen on Loki 3.7.3 with a 35-second pause).
 */
import { generateAudit } from '../../loggen/audit';
import { generate } from '../../loggen/generate';
import { http } from './http';
import { flushLoki } from './processes';
import { auditWriterLabels, pushBodies, type PushStream } from './window';

export const LOGGEN_DAYS_TENANT = 'retention-loggen';
export const LOGGEN_DAYS_LOKI_UID = 'loki-retention-loggen';

const DAY = 86_400_000;
const FIRST_DAY_MS = Date.UTC(2026, 10, 8);
export const LOGGEN_GAP_DAY_MS = FIRST_DAY_MS + 2 * DAY;
export const LOGGEN_DAYS = [0, 1, 3].map((i) => FIRST_DAY_MS + i * DAY);
export const LOGGEN_RANGE = { fromMs: FIRST_DAY_MS, toMs: FIRST_DAY_MS + 4 * DAY };
/** Requests per second: a day's access lines stay a few thousand. */
const RATE = 0.02;
const SEED = 7;

/** One day's push bodies: the access lines as common-schema records, the audit events as written. */
function dayBodies(dayMs: number): Array<{ streams: PushStream[] }> {
  const access = pushBodies([...generate({ seed: SEED, start: dayMs, durationMs: DAY, ratePerSecond: RATE })], 'normalized', 5000);
  const audit = new Map<string, PushStream>();
  for (const l of generateAudit({ seed: SEED, start: dayMs, durationMs: DAY })) {
    const labels = auditWriterLabels(l);
    const key = JSON.stringify(labels);
    const s: PushStream = audit.get(key) ?? { stream: labels, values: [] };
    audit.set(key, s);
    s.values.push([`${l.timeMs}000000`, l.line]);
  }
  return [...access, { streams: [...audit.values()] }];
}

const lineCount = (bodies: Array<{ streams: PushStream[] }>) => bodies.reduce((n, b) => n + b.streams.reduce((m, s) => m + s.values.length, 0), 0);

async function request(lokiUrl: string, path: string, init: { method?: string; body?: string } = {}) {
  return http(lokiUrl.replace(/\/+$/, '') + path, {
    ...init,
    headers: { 'X-Scope-OrgID': LOGGEN_DAYS_TENANT, 'Cache-Control': 'no-cache', ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
  });
}

async function heldOn(lokiUrl: string, dayMs: number): Promise<number> {
  const params = new URLSearchParams({ query: 'sum(count_over_time({log_type=~"access|audit"}[1d]))', time: String((dayMs + DAY - 1) * 1e6) });
  const answer = await request(lokiUrl, `/loki/api/v1/query?${params}`);
  if (answer.status !== 200) {
    throw new Error(`Loki answered ${answer.status} to the line count: ${answer.body}`);
  }
  const result = JSON.parse(answer.body).data.result as Array<{ value: [number, string] }>;
  return result.length === 0 ? 0 : Number(result[0].value[1]);
}

/** Pushes the days into an empty tenant, or leaves a tenant that holds exactly them. */
export async function ensureLoggenDays(lokiUrl: string): Promise<{ pushed: boolean; lines: number }> {
  const days = LOGGEN_DAYS.map((dayMs) => ({ dayMs, bodies: dayBodies(dayMs) }));
  const expected = days.reduce((n, d) => n + lineCount(d.bodies), 0);
  const held = async () => (await Promise.all([...LOGGEN_DAYS, LOGGEN_GAP_DAY_MS].map((d) => heldOn(lokiUrl, d)))).reduce((a, b) => a + b, 0);
  const before = await held();
  if (before === expected) {
    return { pushed: false, lines: before };
  }
  if (before !== 0) {
    throw new Error(`Tenant ${LOGGEN_DAYS_TENANT} holds ${before} lines, not 0 or ${expected}: use a fresh Loki data directory.`);
  }
  for (const { dayMs, bodies } of days) {
    for (const body of bodies) {
      const answer = await request(lokiUrl, '/loki/api/v1/push', { method: 'POST', body: JSON.stringify(body) });
      if (answer.status >= 300) {
        throw new Error(`Loki refused the push of ${new Date(dayMs).toISOString().slice(0, 10)} (${answer.status}): ${answer.body}`);
      }
    }
    await flushLoki(lokiUrl);
  }
  const after = await held();
  if (after !== expected) {
    throw new Error(`Tenant ${LOGGEN_DAYS_TENANT}: Loki answers ${after} of the ${expected} pushed lines.`);
  }
  return { pushed: true, lines: after };
}
