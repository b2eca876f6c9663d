/**
 * Query cost on a real Loki (LOKI_URL): the data source's own topology and controls queries over
 * the conformance window (test/loki/window.ts, pushed first if missing), for normalised JSON and
 * for raw lines read in `auto` mode, beside one bare `| json` scan of the same range, the floor
 * any parsing query pays. Each figure is the median of RUNS runs with Loki's results cache
 * bypassed. Issue 9's goals: raw at most 3x normalised; normalised topology 2x and controls 3x
 * the bare scan. Figures only (shared machines are noisy); a wrong answer fails the conformance
 * suite, not this.
 */
import { lastValueFrom } from 'rxjs';
import { askLeg, dataSource, queryRequest, TARGETS } from '../test/loki/conformance';
import { http } from '../test/loki/http';
import { ensureWindow } from '../test/loki/ingest';
import { liveLoki } from '../test/loki/live';
import { POLICY } from '../test/loki/policy';
import { LOKI_UIDS, QUERY_RANGE, TENANTS, windowLines, type Leg } from '../test/loki/window';
import { report } from './harness';

const LOKI_URL = process.env.LOKI_URL?.replace(/\/+$/, '');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

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

async function legFigures(lokiUrl: string, leg: Leg): Promise<Record<'topology' | 'controls', { ms: number; requests: number }>> {
  const figures = {} as Record<'topology' | 'controls', { ms: number; requests: number }>;
  for (const name of ['topology', 'controls'] as const) {
    const live = liveLoki(lokiUrl, { [LOKI_UIDS[leg]]: TENANTS[leg] });
    const ds = dataSource(leg, live.backendSrv, POLICY);
    const ms = await medianOf(RUNS, () => lastValueFrom(ds.query(queryRequest(TARGETS[name]))));
    figures[name] = { ms, requests: live.requests / RUNS };
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
    await ensureWindow(LOKI_URL, leg, lines);
  }
  // One warm-up pass, so chunk reads from disk do not land on the first figure.
  const warm = liveLoki(LOKI_URL, { [LOKI_UIDS.normalized]: TENANTS.normalized }).backendSrv;
  await askLeg(dataSource('normalized', warm, POLICY), warm, 'normalized');
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
