/**
 * `node scripts/verify-shipped.mjs --start T --duration D --seed N --rate R`: compares what a real
 * shipper put into a real Loki (LOKI_URL, LOKI_TENANT) with what loggen wrote for that window.
 * Per stream: the six stream labels with the writer's namespace and service_name, every line at
 * its request's own timestamp, and every record equal to what normalizeLine makes of the line
 * with those labels. Prints the counts; exits 1 when anything differs.
 */
import { parseArgs } from 'node:util';
import { generate, type GeneratedLine } from './generate';
import { parseDuration } from '../src/core/logql/duration';
import { normalizeLine } from '../src/core/profiles';
import { STREAM_LABELS } from '../src/core/schema';

const { values } = parseArgs({
  options: {
    start: { type: 'string' },
    duration: { type: 'string' },
    seed: { type: 'string', default: '42' },
    rate: { type: 'string', default: '5' },
  },
});
if (!values.start || !values.duration) {
  console.error('usage: verify-shipped --start 2026-11-30T09:00:00Z --duration 3h [--seed N] [--rate R]  (LOKI_URL, LOKI_TENANT)');
  process.exit(2);
}
const LOKI = process.env.LOKI_URL ?? 'http://127.0.0.1:3100';
const TENANT = process.env.LOKI_TENANT ?? 'mesh-audit';
const start = Date.parse(values.start);
const durationMs = parseDuration(values.duration);
const SLICE_MS = 10 * 60_000;
const LIMIT = 5000;

type Labels = Record<string, string>;
const keyOf = (l: Labels) => STREAM_LABELS.map((n) => `${n}=${l[n] ?? ''}`).join(',');
const selectorOf = (l: Labels) => `{${Object.entries(l).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;

async function loki(path: string, params: Record<string, string>): Promise<any> {
  const url = `${LOKI}${path}?${new URLSearchParams(params)}`;
  const res = await fetch(url, { headers: { 'X-Scope-OrgID': TENANT, 'Cache-Control': 'no-cache' } });
  if (!res.ok) {
    throw new Error(`${res.status} ${await res.text()} (${url})`);
  }
  return res.json();
}

/** Nanoseconds since the epoch of an RFC 3339 UTC time, keeping digits below the millisecond (Linkerd logs them). */
function rfc3339Ns(text: string): string {
  const m = /^(.*?)(?:[.](\d+))?Z$/.exec(text)!;
  const fraction = (m[2] ?? '').padEnd(9, '0');
  return `${BigInt(Date.parse(`${m[1]}Z`)) * BigInt(1_000_000) + BigInt(fraction)}`;
}

function writerLabels(g: GeneratedLine): Labels {
  return { platform: g.platform, cluster: g.cluster, mesh: g.mesh, namespace: g.namespace, log_type: 'access', service_name: g.workload };
}

async function main(): Promise<number> {
  const expected = new Map<string, { labels: Labels; lines: GeneratedLine[] }>();
  for (const g of generate({ seed: Number(values.seed), start, durationMs, ratePerSecond: Number(values.rate) })) {
    const labels = writerLabels(g);
    const k = keyOf(labels);
    expected.set(k, expected.get(k) ?? { labels, lines: [] });
    expected.get(k)!.lines.push(g);
  }
  const ns = (ms: number) => `${BigInt(ms) * BigInt(1_000_000)}`;
  const all: Labels[] = (await loki('/loki/api/v1/series', { 'match[]': '{log_type="access"}', start: ns(start), end: ns(start + durationMs) })).data;
  // Loki splits a busy stream into shards (`__stream_shard__`, automatic stream sharding); a
  // selector without that label reads them all, so they count as the one stream the shipper sent.
  const shards = all.filter((s) => '__stream_shard__' in s).length;
  const series = [...new Map(all.map(({ __stream_shard__: _shard, ...s }) => [JSON.stringify(Object.entries(s).sort()), s])).values()];

  let written = 0;
  let stored = 0;
  let missing = 0;
  let extra = 0;
  let wrongRecord = 0;
  const problems: string[] = [];
  for (const s of series) {
    if (keyOf(s) !== keyOf(Object.fromEntries(Object.entries(s).filter(([k]) => (STREAM_LABELS as readonly string[]).includes(k))))) {
      problems.push(`stream with labels beyond the stream labels: ${selectorOf(s)}`);
    }
    if (!expected.has(keyOf(s))) {
      problems.push(`stream loggen never wrote: ${selectorOf(s)}`);
    }
  }
  for (const [k, { labels, lines }] of expected) {
    written += lines.length;
    const got: Array<[string, string]> = [];
    for (let t = start; t < start + durationMs; t += SLICE_MS) {
      const r = await loki('/loki/api/v1/query_range', { query: selectorOf(labels), start: ns(t), end: ns(Math.min(t + SLICE_MS, start + durationMs) - 1), limit: String(LIMIT), direction: 'forward' });
      const values: Array<[string, string]> = r.data.result.flatMap((x: { values: Array<[string, string]> }) => x.values);
      if (values.length >= LIMIT) {
        throw new Error(`more than ${LIMIT} lines in 10 minutes of ${k}: raise LIMIT`);
      }
      got.push(...values);
    }
    stored += got.length;
    // Match each written line to a stored one at the same nanosecond with the same record.
    const byTime = new Map<string, string[]>();
    for (const [ts, line] of got) {
      byTime.set(ts, [...(byTime.get(ts) ?? []), line]);
    }
    for (const g of lines) {
      const parsed = normalizeLine(g.line, { format: g.format, context: { labels } });
      const want = JSON.stringify(parsed.ok ? parsed.record : null);
      // The request's own time, as the record states it.
      const at = byTime.get(parsed.ok && parsed.record.timestamp ? rfc3339Ns(parsed.record.timestamp) : ns(g.timeMs)) ?? [];
      const i = at.findIndex((line) => JSON.stringify(JSON.parse(line)) === want);
      if (i >= 0) {
        at.splice(i, 1);
      } else if (at.length > 0) {
        wrongRecord++;
        if (problems.length < 10) {
          problems.push(`${k} at ${new Date(g.timeMs).toISOString()}: stored ${at[0].slice(0, 300)}\n  expected ${want.slice(0, 300)}`);
        }
        at.shift();
      } else {
        missing++;
        if (problems.length < 10) {
          problems.push(`${k}: no stored line at ${new Date(g.timeMs).toISOString()} for ${g.line.slice(0, 200)}`);
        }
      }
    }
    for (const [ts, rest] of byTime) {
      extra += rest.length;
      if (rest.length > 0 && problems.length < 10) {
        problems.push(`${k}: stored at ${ts}, no written line there: ${rest[0].slice(0, 200)}`);
      }
    }
  }
  console.log(`streams: ${expected.size} written, ${series.length} in Loki${shards > 0 ? ` (${shards} of its series are shards of busy streams)` : ''}`);
  console.log(`lines: ${written} written, ${stored} in Loki, ${missing} missing, ${extra} extra, ${wrongRecord} with a different record`);
  for (const p of problems) {
    console.log(`  ${p}`);
  }
  return missing + extra + wrongRecord + problems.length === 0 && series.length === expected.size ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`verify-shipped: ${(e as Error).message}`);
    process.exit(1);
  }
);
