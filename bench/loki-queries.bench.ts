/**
 * Query cost on a real Loki (LOKI_URL): the data source's own topology and controls runners over
 * the conformance window (test/loki/window.ts, pushed first if missing), for normalised JSON and
 * for raw lines read in `auto` mode, beside one bare `| json` scan of the same range, the floor
 * any parsing query pays. Each figure is the median of BENCH_RUNS runs (default 3) after one
 * warm-up, sent as the data source sends them (instant queries, which Loki does not results-cache
 * unless cache_instant_metric_results is set; the controls' log reads bypass the cache). Issue 9's goals: raw at most 3x normalised; normalised topology 2x and controls 3x
 * the bare scan. Figures only (shared machines are noisy); a wrong answer fails the conformance
 * suite, not this.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicyYaml } from '../provisioning/generate/policyFile';
import { LokiClient } from '../src/core/loki/client';
import { planQuery } from '../src/core/plan';
import { createLokiHttpTransport } from '../src/cli/lokiHttpTransport';
import { runControls } from '../src/datasource/run/runControls';
import { runTopology } from '../src/datasource/run/runTopology';
import { resolveSettings } from '../src/datasource/settings';
import { http } from '../test/loki/http';
import { ensureWindow } from '../test/loki/ingest';
import { QUERY_RANGE, TENANTS, windowLines, type Leg } from '../test/loki/window';
import { report } from './harness';

// The conformance suite's policy (test/loki/policy.ts reads it relative to its own file, which a bundle moves).
const POLICY = parsePolicyYaml(readFileSync(join(process.cwd(), 'policy.example.yaml'), 'utf8'));
const LOKI_URL = process.env.LOKI_URL?.replace(/\/+$/, '');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// BENCH_DETAIL=1 prints each request of the last run with its time: where a query type spends it.
// BENCH_DETAIL=serial sends one request at a time, so that each time is that request's own cost.
const DETAIL = process.env.BENCH_DETAIL === '1' || process.env.BENCH_DETAIL === 'serial';
const SERIAL = process.env.BENCH_DETAIL === 'serial';

async function medianOf(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function bareScanMs(lokiUrl: string): Promise<number> {
  const rangeS = Math.round((QUERY_RANGE.toMs - QUERY_RANGE.fromMs) / 1000);
  const url = new URL(`${lokiUrl}/loki/api/v1/query`);
  url.searchParams.set('query', `sum(count_over_time({log_type="access"} | json | __error__="" [${rangeS}s]))`);
  url.searchParams.set('time', String(QUERY_RANGE.toMs * 1e6));
  return medianOf(RUNS, async () => {
    const answer = await http(url.toString(), { headers: { 'X-Scope-OrgID': TENANTS.normalized, 'Cache-Control': 'no-cache' } });
    if (answer.status !== 200) {
      throw new Error(`bare scan: Loki answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    }
  });
}

/** The data source's own runners over a Node transport (the data source's proxy route needs Grafana). */
async function legFigures(lokiUrl: string, leg: Leg): Promise<Record<'topology' | 'controls', { ms: number; requests: number }>> {
  const settings = resolveSettings({ lokiUid: 'loki', logSourceMode: leg === 'raw' ? 'auto' : 'normalized', policy: POLICY });
  const figures = {} as Record<'topology' | 'controls', { ms: number; requests: number }>;
  for (const type of ['topology', 'controls'] as const) {
    let requests = 0;
    let timings: Array<{ what: string; ms: number }> = [];
    let queue = Promise.resolve();
    const transport = createLokiHttpTransport({ url: lokiUrl, tenant: TENANTS[leg] });
    const client = new LokiClient({
      request: async (req) => {
        requests++;
        const previous = queue;
        let done = () => {};
        queue = SERIAL ? new Promise<void>((resolve) => (done = resolve)) : queue;
        await previous;
        const start = performance.now();
        const answer = await transport.request(req).finally(() => done());
        timings.push({ what: `${req.path.replace(/^\/loki\/api\/v1\//, '')} ${String(req.params.query ?? '').slice(0, 150)}`, ms: performance.now() - start });
        return answer;
      },
    });
    const run = { client, fromMs: QUERY_RANGE.fromMs, toMs: QUERY_RANGE.toMs, refId: 'A', settings };
    const plan = planQuery({ queryType: type }, settings, QUERY_RANGE.toMs - QUERY_RANGE.fromMs);
    const once = () => (plan.type === 'topology' ? runTopology(plan, run) : plan.type === 'controls' ? runControls(plan, run) : Promise.reject(new Error(plan.type)));
    await once();
    requests = 0;
    const ms = await medianOf(RUNS, async () => {
      timings = [];
      await once();
    });
    figures[type] = { ms, requests: requests / RUNS };
    if (DETAIL) {
      console.log(`-- ${leg} ${type}, last run's requests, slowest first`);
      for (const t of timings.sort((a, b) => b.ms - a.ms)) {
        console.log(`${String(Math.round(t.ms)).padStart(7)} ms  ${t.what}`);
      }
    }
  }
  return figures;
}

async function main() {
  if (!LOKI_URL) {
    console.log('skipped: set LOKI_URL to a running Loki (e.g. http://127.0.0.1:3100) to measure queries on the real path');
    return;
  }
  const lines = windowLines();
  for (const leg of ['normalized', 'raw'] as const) {
    await ensureWindow(LOKI_URL, leg);
  }
  const bare = await bareScanMs(LOKI_URL);
  const normalized = await legFigures(LOKI_URL, 'normalized');
  const raw = await legFigures(LOKI_URL, 'raw');
  const ms = (v: number) => `${Math.round(v)} ms`;
  report(`bare | json scan (${lines.length} lines, 3 h)`, ms(bare));
  for (const name of ['topology', 'controls'] as const) {
    report(`normalized ${name} (${normalized[name].requests} requests)`, ms(normalized[name].ms), { value: normalized[name].ms / bare, against: 'the bare scan' });
    report(`auto/raw ${name} (${raw[name].requests} requests)`, ms(raw[name].ms), { value: raw[name].ms / normalized[name].ms, against: `normalized ${name}` });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
