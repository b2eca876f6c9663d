/** @jest-environment node */
/**
 * Opt-in: provisioning/alloy/config.alloy on a real Grafana Alloy, started as the compose stack
 * starts it (`alloy run --server.http.listen-addr=… --storage.path=… config.alloy`, with only
 * LOKI_PUSH_URL, LOKI_TENANT and MESH_LOG_ROOT set), shipping loggen's files of a recent window
 * (the last ALLOY_REAL_WINDOW, default 30m, so Loki's limits apply as in production) into a real
 * Loki running provisioning/loki/loki.yaml. Checks that Loki holds every line (a count_over_time
 * per tenant), each in its writer's stream (the six stream labels), at its request's own
 * timestamp, with the record normalizeLine makes of it. With PROMTAIL_BIN also set, Promtail runs
 * provisioning/promtail/promtail.yaml on the same files into another tenant and the two tenants'
 * entries must be byte-identical. It also prints Alloy's lines per CPU-second (utime + stime
 * from /proc/<pid>/stat) for config.alloy and for the same Alloy with a pass-through pipeline
 * (loki.source.file straight to loki.write), the ceiling; figures only, shared machines are noisy.
 *
 * Needs ALLOY_BIN (Alloy >= 1.x; it builds from grafana/alloy's source with Go, the project ships
 * none) and LOKI_BIN (Loki 3.x). Without them every test is skipped and says so. Loki listens on
 * 127.0.0.1:ALLOY_REAL_LOKI_PORT (default 3400, gRPC ALLOY_REAL_LOKI_GRPC_PORT, default 9496) with
 * its /loki volume in a fresh directory under ALLOY_REAL_DIR (default the system temp directory).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, type GeneratedLine } from '../../loggen/generate';
import { LogWriter } from '../../loggen/writer';
import { parseDuration } from '../../src/core/logql/duration';
import { STREAM_LABELS } from '../../src/core/schema';
import { http } from '../loki/http';
import { linesInLoki } from '../loki/ingest';
import { counter, freePort, promtailDone, startPromtail, stop, until } from '../loki/processes';
import { decodePush, type PushedEntry } from './lib/loki-push';
import { writeFixtureFiles } from './lib/real-fixture-files';
import { byteDifferences, checkShipped, type ShippedCheck } from './lib/shipped-records';

const ALLOY_BIN = process.env.ALLOY_BIN;
const LOKI_BIN = process.env.LOKI_BIN;
const PROMTAIL_BIN = process.env.PROMTAIL_BIN;
const SKIP = ALLOY_BIN && LOKI_BIN ? null : 'needs ALLOY_BIN (a Grafana Alloy binary) and LOKI_BIN (a Loki 3.x binary)';
const named = (title: string) => (SKIP ? `${title} (skipped: ${SKIP})` : title);
const maybe = SKIP ? it.skip : it;

const LOKI_PORT = Number(process.env.ALLOY_REAL_LOKI_PORT ?? 3400);
const LOKI_GRPC_PORT = Number(process.env.ALLOY_REAL_LOKI_GRPC_PORT ?? 9496);
const WINDOW = process.env.ALLOY_REAL_WINDOW ?? '30m';
const TENANT = 'alloy-real';
const PASS_TENANT = 'alloy-pass-through';
const PROMTAIL_TENANT = 'alloy-real-promtail';
const CLOCK_TICKS = 100; // USER_HZ on Linux
const CONFIG = join(process.cwd(), 'provisioning', 'alloy', 'config.alloy');

if (SKIP) {
  console.log(`Alloy on a real binary: every test skipped, it ${SKIP}.`);
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After the command name: utime is field 14 and stime 15 (1-based in proc(5)).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

interface Run {
  cpu: number;
  wallMs: number;
  sent: number;
  dropped: number;
  processDropped: number;
  log: string;
}

interface Loki {
  url: string;
  child: ChildProcess;
  log: () => string;
}

/** provisioning/loki/loki.yaml with its /loki volume under `dataDir`, on loopback, and the limits the brief of this test names. */
async function startLoki(dataDir: string): Promise<Loki> {
  mkdirSync(dataDir, { recursive: true });
  const config = readFileSync(join(process.cwd(), 'provisioning', 'loki', 'loki.yaml'), 'utf8').replace(
    /(^|[\s:'"])\/loki\b/g,
    `$1${dataDir}`
  );
  const configFile = join(dataDir, 'loki.yaml');
  writeFileSync(configFile, config);
  const child = spawn(
    LOKI_BIN!,
    [
      `-config.file=${configFile}`,
      '-server.http-listen-address=127.0.0.1',
      '-server.grpc-listen-address=127.0.0.1',
      `-server.http-listen-port=${LOKI_PORT}`,
      `-server.grpc-listen-port=${LOKI_GRPC_PORT}`,
      '-validation.reject-old-samples=false',
      '-distributor.ingestion-rate-limit-mb=64',
      '-distributor.ingestion-burst-size-mb=128',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: dataDir }
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + String(chunk)).slice(-20_000)));
  const url = `http://127.0.0.1:${LOKI_PORT}`;
  await until('Loki /ready', 120_000, async () => {
    if (child.exitCode !== null) {
      throw new Error(`Loki exited with ${child.exitCode}: ${log.slice(-2000)}`);
    }
    return (await http(`${url}/ready`)).status === 200 ? true : undefined;
  }).catch(async (error: Error) => {
    await stop(child);
    throw error;
  });
  return { url, child, log: () => log };
}

/**
 * `alloy run` on `config` as docker-compose.yml runs it; done when loki.write has sent or dropped
 * `lines` entries (less what loki.process dropped) and its counters stopped moving, or when
 * nothing moved for 30 s. The CPU time is read then, before Alloy is stopped.
 */
async function runAlloy(config: string, env: Record<string, string>, storage: string, lines: number): Promise<Run> {
  const port = await freePort();
  const child = spawn(ALLOY_BIN!, ['run', `--server.http.listen-addr=127.0.0.1:${port}`, `--storage.path=${storage}`, config], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + String(chunk)).slice(-50_000)));
  const started = Date.now();
  let [last, stableSince] = ['', Date.now()];
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      if (child.exitCode !== null) {
        throw new Error(`alloy exited with ${child.exitCode}:\n${log.slice(-3000)}`);
      }
      const metrics = await http(`http://127.0.0.1:${port}/metrics`).then(
        (r) => r.body,
        () => ''
      );
      const sent = counter(metrics, 'loki_write_sent_entries_total');
      const dropped = counter(metrics, 'loki_write_dropped_entries_total');
      const processDropped = counter(metrics, 'loki_process_dropped_lines_total');
      const now = `${sent}/${dropped}/${processDropped}`;
      if (now !== last) {
        [last, stableSince] = [now, Date.now()];
      }
      const settled = Date.now() - stableSince;
      if ((sent + dropped + processDropped >= lines && settled >= 1000) || (sent + dropped > 0 && settled >= 30_000)) {
        return { cpu: cpuSeconds(child.pid!), wallMs: Date.now() - started, sent, dropped, processDropped, log };
      }
      if (Date.now() - started > 30 * 60_000) {
        throw new Error(`alloy did not ship ${lines} lines within 30 minutes (${now} sent/dropped/dropped by loki.process):\n${log.slice(-3000)}`);
      }
    }
  } finally {
    await stop(child);
  }
}

/** Every entry a tenant holds from `startMs` to `endMs`, as a push would carry it, read in slices under Loki's limit. */
async function storedEntries(url: string, tenant: string, startMs: number, endMs: number): Promise<PushedEntry[]> {
  const SLICE_MS = 30_000;
  const LIMIT = 5000;
  const ns = (ms: number) => BigInt(ms) * BigInt(1_000_000);
  const entries: PushedEntry[] = [];
  for (let t = startMs; t < endMs; t += SLICE_MS) {
    const params = new URLSearchParams({
      query: '{log_type=~".+"}',
      start: String(ns(t)),
      // Inclusive of everything before the next slice's start, to the nanosecond.
      end: String(ns(Math.min(t + SLICE_MS, endMs)) - BigInt(1)),
      limit: String(LIMIT),
      direction: 'forward',
    });
    // categorize-labels: the stream's own labels apart from structured metadata (Loki 3.x adds
    // `detected_level` there by itself, discover_log_levels) and from parsed labels.
    const r = await http(`${url}/loki/api/v1/query_range?${params}`, {
      headers: { 'X-Scope-OrgID': tenant, 'Cache-Control': 'no-cache', 'X-Loki-Response-Encoding-Flags': 'categorize-labels' },
    });
    if (r.status !== 200) {
      throw new Error(`Loki answered ${r.status}: ${r.body}`);
    }
    const result = JSON.parse(r.body).data.result as Array<{ stream: Record<string, string>; values: Array<[string, string, unknown?]> }>;
    const got = result.flatMap(({ stream, values }) => {
      // A busy stream's shards (automatic stream sharding) are the one stream the shipper sent.
      const { __stream_shard__: _shard, ...labels } = stream;
      return values.map(([ts, line]) => ({ labels, ns: ts, line }));
    });
    if (got.length >= LIMIT) {
      throw new Error(`more than ${LIMIT} lines in ${SLICE_MS / 1000} s of ${tenant}: shorten the slice`);
    }
    entries.push(...got);
  }
  return entries;
}

/** The same targets and loki.write as config.alloy, with loki.source.file forwarding straight to loki.write. */
function passThroughConfig(): string {
  const text = readFileSync(CONFIG, 'utf8');
  const cut = text.indexOf('loki.process "mesh_access"');
  if (cut < 0 || !text.includes('forward_to = [loki.process.mesh_access.receiver]')) {
    throw new Error('config.alloy no longer has the loki.process "mesh_access" block this test cuts off');
  }
  return text.slice(0, cut).replace('forward_to = [loki.process.mesh_access.receiver]', 'forward_to = [loki.write.mesh_audit.receiver]');
}

const state: {
  dir?: string;
  loki?: Loki;
  generated: GeneratedLine[];
  written: number;
  startMs: number;
  endMs: number;
  pipeline?: Run;
  passThrough?: Run;
  stored?: PushedEntry[];
  check?: ShippedCheck;
} = { generated: [], written: 0, startMs: 0, endMs: 0 };

beforeAll(async () => {
  if (SKIP) {
    return;
  }
  state.dir = mkdtempSync(join(process.env.ALLOY_REAL_DIR ?? tmpdir(), 'mesh-audit-alloy-real-'));
  state.loki = await startLoki(join(state.dir, 'loki'));
  // A recent window, ending a second ago: nothing in the future, nothing Loki would call old.
  state.endMs = Math.floor(Date.now() / 1000) * 1000 - 1000;
  state.startMs = state.endMs - parseDuration(WINDOW);
  state.generated = [...generate({ seed: 9, start: state.startMs, durationMs: state.endMs - state.startMs, ratePerSecond: 5 })];
  const root = join(state.dir, 'mesh');
  state.written = new LogWriter(root).write(state.generated);
  const push = `${state.loki.url}/loki/api/v1/push`;
  state.pipeline = await runAlloy(CONFIG, { LOKI_PUSH_URL: push, LOKI_TENANT: TENANT, MESH_LOG_ROOT: root }, join(state.dir, 'alloy-data'), state.written);
  const passFile = join(state.dir, 'pass-through.alloy');
  writeFileSync(passFile, passThroughConfig());
  state.passThrough = await runAlloy(passFile, { LOKI_PUSH_URL: push, LOKI_TENANT: PASS_TENANT, MESH_LOG_ROOT: root }, join(state.dir, 'alloy-pass-data'), state.written);
  const rate = (r: Run) => state.written / r.cpu;
  console.log(
    [
      `Alloy on a real binary: ${state.written} loggen lines (the last ${WINDOW} at --rate 5), ${ALLOY_BIN}`,
      `  config.alloy:  ${Math.round(rate(state.pipeline))} lines/CPU-s (${state.pipeline.cpu.toFixed(2)} CPU-s, ${(state.pipeline.wallMs / 1000).toFixed(1)} s wall; sent ${state.pipeline.sent}, dropped by loki.write ${state.pipeline.dropped}, by loki.process ${state.pipeline.processDropped})`,
      `  pass-through:  ${Math.round(rate(state.passThrough))} lines/CPU-s (${state.passThrough.cpu.toFixed(2)} CPU-s, ${(state.passThrough.wallMs / 1000).toFixed(1)} s wall; sent ${state.passThrough.sent})`,
      `  ratio:         ${(rate(state.pipeline) / rate(state.passThrough)).toFixed(3)} of the pass-through`,
      // What Alloy itself complained about while running config.alloy, if anything.
      ...state.pipeline.log
        .split('\n')
        .filter((l) => /level=(warn|error)/.test(l))
        .slice(0, 5)
        .map((l) => `  alloy: ${l.slice(0, 300)}`),
    ].join('\n')
  );
  // Entries stamped with the time Alloy read them (none expected) would sit after the window.
  state.stored = await storedEntries(state.loki.url, TENANT, state.startMs, Date.now() + 60_000);
  state.check = checkShipped(state.generated, state.stored);
}, 60 * 60_000);

afterAll(async () => {
  if (state.loki) {
    await stop(state.loki.child);
  }
  if (state.dir && !process.env.ALLOY_REAL_KEEP) {
    rmSync(state.dir, { recursive: true, force: true });
  }
}, 60_000);

describe('provisioning/alloy/config.alloy on a real Alloy and a real Loki', () => {
  maybe(named('starts with `alloy run` and ships every line without a drop'), () => {
    expect(state.pipeline!.dropped).toBe(0);
    expect(state.pipeline!.processDropped).toBe(0);
    expect(state.pipeline!.sent).toBe(state.written);
  });

  maybe(named('Loki holds every line loggen wrote (count_over_time per tenant)'), async () => {
    const span = { endMs: state.endMs, durationMs: state.endMs - state.startMs, selector: '{log_type=~".+"}' };
    expect(await linesInLoki(state.loki!.url, TENANT, span)).toBe(state.written);
    // The pass-through stamps lines with the time Alloy read them: count up to now.
    const now = Date.now();
    expect(await linesInLoki(state.loki!.url, PASS_TENANT, { endMs: now, durationMs: now - state.startMs, selector: '{log_type=~".+"}' })).toBe(state.written);
  });

  maybe(named('every stream carries exactly the six stream labels'), () => {
    const extra = state.stored!.filter((e) => Object.keys(e.labels).some((k) => !(STREAM_LABELS as readonly string[]).includes(k)));
    expect(extra.slice(0, 3)).toEqual([]);
    const incomplete = state.stored!.filter((e) => STREAM_LABELS.some((k) => !e.labels[k]));
    // Every loggen writer names all six (Hubble's file takes the namespace from the line).
    expect(incomplete.slice(0, 3)).toEqual([]);
  });

  maybe(named("every line is at its request's own timestamp, in its writer's stream, with normalizeLine's record"), () => {
    const c = state.check!;
    expect(c.problems).toEqual([]);
    expect({ pushed: c.pushed, equal: c.equal, differ: c.differ, missing: c.missing, extra: c.extra }).toEqual({
      pushed: state.written,
      equal: state.written,
      differ: 0,
      missing: 0,
      extra: 0,
    });
  });

  (SKIP || !PROMTAIL_BIN ? it.skip : it)(
    SKIP ? named('records are byte-identical to real Promtail’s') : PROMTAIL_BIN ? 'records are byte-identical to real Promtail’s on the same files' : 'records are byte-identical to real Promtail’s (skipped: needs PROMTAIL_BIN)',
    async () => {
      const dir = state.dir!;
      const promtail = await startPromtail(PROMTAIL_BIN!, {
        pushUrl: `${state.loki!.url}/loki/api/v1/push`,
        tenant: PROMTAIL_TENANT,
        logRoot: join(dir, 'mesh'),
        positions: join(dir, 'promtail-positions.yaml'),
      });
      const started = Date.now();
      try {
        const { dropped } = await promtailDone(promtail, state.written, 30 * 60_000);
        const cpu = cpuSeconds(promtail.child.pid!);
        console.log(
          `Promtail (${PROMTAIL_BIN}) on the same files with promtail.yaml: ${Math.round(state.written / cpu)} lines/CPU-s (${cpu.toFixed(2)} CPU-s, ${((Date.now() - started) / 1000).toFixed(1)} s wall; dropped ${dropped})`
        );
        expect(dropped).toBe(0);
      } finally {
        await stop(promtail.child);
      }
      const span = { endMs: state.endMs, durationMs: state.endMs - state.startMs, selector: '{log_type=~".+"}' };
      await until(`Loki to hold Promtail's ${state.written} lines`, 5 * 60_000, async () =>
        (await linesInLoki(state.loki!.url, PROMTAIL_TENANT, span)) === state.written ? true : undefined
      );
      const promtailEntries = await storedEntries(state.loki!.url, PROMTAIL_TENANT, state.startMs, Date.now() + 60_000);
      expect(promtailEntries.length).toBe(state.written);
      expect(byteDifferences(promtailEntries, state.stored!)).toBe(0);
    },
    45 * 60_000
  );
  (SKIP || !PROMTAIL_BIN ? it.skip : it)(
    SKIP
      ? named('on the fixture files (all ten formats, damaged and secret-bearing lines) pushes byte for byte what Promtail pushes')
      : PROMTAIL_BIN
        ? 'on the fixture files (all ten formats, damaged and secret-bearing lines) pushes byte for byte what Promtail pushes'
        : 'on the fixture files pushes byte for byte what Promtail pushes (skipped: needs PROMTAIL_BIN)',
    async () => {
      // A stand-in Loki that takes every push: the fixtures' times span years, which one real
      // stream would not accept, and only the two shippers' records are compared here.
      let pushed: PushedEntry[] = [];
      const sink = createServer((req, res) => {
        const body: Buffer[] = [];
        req.on('data', (chunk: Buffer) => body.push(chunk));
        req.on('end', () => {
          pushed.push(...decodePush(Buffer.concat(body)));
          res.writeHead(204).end();
        });
      });
      const port = await new Promise<number>((resolve) => sink.listen(0, '127.0.0.1', () => resolve((sink.address() as { port: number }).port)));
      try {
        const root = join(state.dir!, 'fixtures');
        const count = writeFixtureFiles(root);
        const push = `http://127.0.0.1:${port}/loki/api/v1/push`;
        // An error record without a valid timestamp carries the time its shipper read it.
        const alloySince = BigInt(Date.now()) * BigInt(1_000_000);
        const alloy = await runAlloy(CONFIG, { LOKI_PUSH_URL: push, LOKI_TENANT: TENANT, MESH_LOG_ROOT: root }, join(state.dir!, 'alloy-fixture-data'), count);
        const byAlloy = pushed;
        pushed = [];
        const promtailSince = BigInt(Date.now()) * BigInt(1_000_000);
        const promtail = await startPromtail(PROMTAIL_BIN!, { pushUrl: push, tenant: PROMTAIL_TENANT, logRoot: root, positions: join(state.dir!, 'promtail-fixture-positions.yaml') });
        try {
          // Its pipeline drops the non-access lines uncounted: done when nothing more came for 5 s.
          let last = -1;
          let since = Date.now();
          await until('Promtail to push the fixture files', 10 * 60_000, async () => {
            const sent = counter((await http(promtail.metricsUrl)).body, 'promtail_sent_entries_total');
            if (sent !== last) {
              [last, since] = [sent, Date.now()];
            }
            return sent > 0 && Date.now() - since >= 5000 ? true : undefined;
          });
        } finally {
          await stop(promtail.child);
        }
        console.log(
          `fixture files: ${count} lines; Alloy pushed ${byAlloy.length} (loki.process dropped ${alloy.processDropped}), Promtail ${pushed.length}; ${byteDifferences(pushed, byAlloy, [promtailSince, alloySince])} differ byte for byte`
        );
        expect(byAlloy.length).toBeGreaterThan(0);
        expect(byAlloy.length).toBe(pushed.length);
        expect(byteDifferences(pushed, byAlloy, [promtailSince, alloySince])).toBe(0);
      } finally {
        sink.close();
      }
    },
    30 * 60_000
  );
});
