/**
 * Retention coverage for an audit year and more: 400 days x 200 log classes, through the data
 * source's own retention runner (Loki's index: index/volume_range), beside the naive per-day line
 * count it replaced (sum(count_over_time(<class>[1d])) per class, split by max_query_length).
 * Counts Loki requests and the bytes of Loki's answers.
 *
 * Without LOKI_URL both run against a stand-in that answers in Loki 3.7.3's shapes (one series per
 * class, a point per day) and enforces Loki's default max_query_length (721h): the figures are
 * request counts and answer sizes, not Loki's work. With LOKI_URL (and LOKI_TENANT, default
 * retention-gap) the index path runs against that real Loki, whatever the tenant holds, and the
 * naive count runs for BENCH_NAIVE_CLASSES classes (default 3: each scans every line of 400 days),
 * its totals scaled to 200 and said so.
 */
import { DAY_MS } from '../src/core/frames';
import { LokiClient } from '../src/core/loki/client';
import type { LokiRawResponse, LokiRequest, LokiTransport } from '../src/core/loki/types';
import { planQuery } from '../src/core/plan';
import { DEFAULT_POLICY, type LoggingPolicy } from '../src/core/policy';
import { DEFAULT_LABEL_NAMES } from '../src/core/query';
import { runRetention } from '../src/datasource/run/runRetention';
import { report } from './harness';

const DAYS = 400;
const CLASSES = 200;
const END_MS = Date.UTC(2026, 10, 28);
const FROM_MS = END_MS - DAYS * DAY_MS;
const MAX_QUERY_LENGTH_MS = 721 * 3_600_000;

const policy: LoggingPolicy = {
  ...DEFAULT_POLICY,
  // The first two are namespaces of the live retention window, so a real Loki has data for some.
  logClasses: Array.from({ length: CLASSES }, (_, i) => ({
    name: `class-${i}`,
    selector: { log_type: 'access', namespace: i === 0 ? 'shop' : i === 1 ? 'payments' : `ns-${i}` },
    retentionDays: 365,
  })),
};

/** Counts requests and answer bytes of any transport. */
function counted(inner: LokiTransport) {
  const stats = { requests: 0, bytes: 0, ms: 0 };
  const transport: LokiTransport = {
    async request(r) {
      const started = performance.now();
      const answer = await inner.request(r);
      stats.ms += performance.now() - started;
      stats.requests += 1;
      stats.bytes += Buffer.byteLength(answer.body);
      return answer;
    },
  };
  return { transport, stats };
}

const nsToMs = (v: unknown) => Number(BigInt(String(v)) / BigInt(1_000_000));
const tooLong = (r: LokiRequest): LokiRawResponse | null => {
  const length = nsToMs(r.params.end) - nsToMs(r.params.start);
  return length > MAX_QUERY_LENGTH_MS
    ? {
        status: 400,
        body: `the query time range exceeds the limit (query length: ${length / 3_600_000}h0m0s, limit: 30d1h)`,
      }
    : null;
};

function dayPoints(r: LokiRequest, value: (day: number) => string): Array<[number, string]> {
  const values: Array<[number, string]> = [];
  for (let t = Math.ceil(nsToMs(r.params.start) / DAY_MS) * DAY_MS; t < nsToMs(r.params.end); t += DAY_MS) {
    values.push([(t + DAY_MS - 1) / 1000, value(t)]);
  }
  return values;
}

/** Loki 3.7.3's answer shapes: drilldown-limits, volume_range by namespace, a count matrix. */
const standIn: LokiTransport = {
  async request(r) {
    if (r.path.endsWith('/drilldown-limits')) {
      return {
        status: 200,
        body: JSON.stringify({
          limits: { retention_period: '31d', retention_stream: [], volume_enabled: true, volume_max_series: 1000 },
        }),
      };
    }
    const refused = tooLong(r);
    if (refused) {
      return refused;
    }
    const result = r.path.endsWith('/index/volume_range')
      ? policy.logClasses.map((c) => ({ metric: { ...c.selector }, values: dayPoints(r, () => '1048576') }))
      : [{ metric: {}, values: dayPoints(r, () => '1700000') }];
    return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }) };
  },
};

function httpTransport(lokiUrl: string, tenant: string): LokiTransport {
  return {
    async request(r) {
      const url = new URL(lokiUrl.replace(/\/+$/, '') + r.path);
      for (const [k, v] of Object.entries(r.params)) {
        (Array.isArray(v) ? v : [v]).forEach((x) => url.searchParams.append(k, x));
      }
      const answer = await fetch(url, { headers: { ...r.headers, 'X-Scope-OrgID': tenant } });
      return { status: answer.status, body: await answer.text() };
    },
  };
}

async function indexPath(transport: LokiTransport) {
  const { transport: t, stats } = counted(transport);
  const plan = planQuery(
    { queryType: 'retention', filters: {} },
    { policy, labelNames: DEFAULT_LABEL_NAMES, logSource: { kind: 'normalized' } },
    DAYS * DAY_MS
  );
  if (plan.type !== 'retention') {
    throw new Error('not a retention plan');
  }
  const started = performance.now();
  const [frame] = await runRetention(plan, {
    client: new LokiClient(t),
    fromMs: FROM_MS,
    toMs: END_MS,
    refId: 'A',
    settings: { lokiUid: 'bench', logSource: { kind: 'normalized' }, labelNames: DEFAULT_LABEL_NAMES, policy },
  });
  if (frame.length !== DAYS * CLASSES) {
    throw new Error(`the retention frame has ${frame.length} rows, not ${DAYS * CLASSES}`);
  }
  return { ...stats, wallMs: performance.now() - started, plan };
}

async function naivePath(transport: LokiTransport, classes: number) {
  // The same max_query_length the index path split by: the tenant's own, as Loki publishes it.
  const published = (await new LokiClient(transport).drilldownLimits()).maxQueryLengthMs;
  const { transport: t, stats } = counted(transport);
  const client = new LokiClient(t, { maxQueryLengthMs: published ?? MAX_QUERY_LENGTH_MS });
  const plan = planQuery(
    { queryType: 'retention', filters: {} },
    { policy, labelNames: DEFAULT_LABEL_NAMES, logSource: { kind: 'normalized' } },
    DAYS * DAY_MS
  );
  if (plan.type !== 'retention') {
    throw new Error('not a retention plan');
  }
  const started = performance.now();
  for (const q of plan.queries.slice(0, classes)) {
    await client.queryRange({ query: q.expr, startMs: FROM_MS + DAY_MS, endMs: END_MS, stepMs: DAY_MS });
  }
  return { ...stats, wallMs: performance.now() - started };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

async function main() {
  const where = process.env.LOKI_URL
    ? `real Loki at ${process.env.LOKI_URL}`
    : 'stand-in (Loki 3.7.3 shapes, max_query_length 721h)';
  console.log(`${DAYS} days x ${CLASSES} classes, ${where}`);
  const transport = process.env.LOKI_URL
    ? httpTransport(process.env.LOKI_URL, process.env.LOKI_TENANT ?? 'retention-gap')
    : standIn;
  const index = await indexPath(transport);
  report('index: Loki requests (limits + volume_range)', String(index.requests));
  report('index: bytes of Loki answers', kb(index.bytes));
  report('index: wall time', `${index.wallMs.toFixed(0)} ms`);
  const sample = process.env.LOKI_URL ? Number(process.env.BENCH_NAIVE_CLASSES ?? 3) : CLASSES;
  const naive = await naivePath(transport, sample);
  const scale = CLASSES / sample;
  const note = sample === CLASSES ? '' : ` (${sample} measured, x${+scale.toFixed(1)})`;
  report(`naive count: Loki requests${note}`, String(Math.round(naive.requests * scale)), {
    value: (naive.requests * scale) / index.requests,
    against: 'index',
  });
  report(`naive count: bytes of Loki answers${note}`, kb(naive.bytes * scale), {
    value: (naive.bytes * scale) / index.bytes,
    against: 'index',
  });
  report(`naive count: wall time${note}`, `${(naive.wallMs * scale).toFixed(0)} ms`, {
    value: (naive.wallMs * scale) / index.wallMs,
    against: 'index',
  });
  // What the count makes Loki read, at the 170M lines a day: every line of every day, where the index reads none.
  report('naive count: lines Loki reads at 170M lines/day', `${((170e6 * DAYS) / 1e9).toFixed(0)} billion`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
