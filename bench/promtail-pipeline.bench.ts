/**
 * The shared pipeline's CPU cost on a real Promtail (PROMTAIL_BIN): lines per CPU-second for the
 * compose config on loggen's files, against the same Promtail with a pass-through pipeline on the
 * same files (the ceiling). Loki is replaced by a local endpoint that accepts every push, so only
 * Promtail's own CPU time (utime + stime from /proc/<pid>/stat) is measured. BENCH_WINDOW sets how
 * much of loggen's traffic is written (default 30m at --rate 5). BENCH_BASELINE=<promtail.yaml of
 * another revision> adds that config as a third row, for a before/after figure on the same files.
 * Every pipeline run's pushes are decoded and checked: each loggen line once, in its writer's
 * stream, at its request's time, with the record normalizeLine makes of it (and, with a
 * baseline, how many pushed lines differ byte for byte from the baseline's; then both run on the
 * fixture files of test/shippers, all ten formats with damaged and secret-bearing lines, and
 * their pushes are compared byte for byte too). Figures only for
 * speed (shared machines are noisy); records that differ are printed and set the exit status.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { generate, type GeneratedLine } from '../loggen/generate';
import { LogWriter } from '../loggen/writer';
import { parseDuration } from '../src/core/logql/duration';
import { counter, freePort } from '../test/loki/processes';
import { decodePush, type PushedEntry } from '../test/shippers/lib/loki-push';
import { writeFixtureFiles } from '../test/shippers/lib/real-fixture-files';
import { byteDifferences, checkShipped } from '../test/shippers/lib/shipped-records';
import { report } from './harness';

const BIN = process.env.PROMTAIL_BIN;
const CLOCK_TICKS = 100; // USER_HZ on Linux

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port))
  );
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After the command name: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function sentEntries(port: number): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return counter(text, 'promtail_sent_entries_total');
  } catch {
    return 0;
  }
}

/** With BENCH_PPROF=<file>, a CPU profile of Promtail on the compose pipeline, read with `go tool pprof`. */
async function profile(httpPort: number, file: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}/debug/pprof/profile?seconds=5`);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function run(
  config: string,
  env: Record<string, string>,
  lines: number | undefined,
  httpPort: number,
  pprof?: string
): Promise<{ cpu: number; wallMs: number }> {
  const flags = [
    `-config.file=${config}`,
    '-config.expand-env=true',
    ...(pprof ? ['-server.profiling_enabled=true'] : []),
  ];
  const child: ChildProcess = spawn(BIN!, flags, { env: { ...process.env, ...env }, stdio: 'ignore' });
  const started = Date.now();
  const profiled = pprof ? profile(httpPort, pprof) : Promise.resolve();
  let [last, stable] = [0, 0];
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      if (child.exitCode !== null) {
        throw new Error(`promtail exited with ${child.exitCode}`);
      }
      const sent = await sentEntries(httpPort);
      // Without a line count (some lines may be dropped), done when nothing more came for 3 s.
      stable = sent > 0 && sent === last ? stable + 1 : 0;
      last = sent;
      if (lines !== undefined ? sent >= lines : stable >= 12) {
        const cpu = cpuSeconds(child.pid!);
        await profiled;
        return { cpu, wallMs: Date.now() - started };
      }
      if (Date.now() - started > 30 * 60_000) {
        throw new Error('promtail did not ship every line within 30 minutes');
      }
    }
  } finally {
    // Wait for it to go, so it writes no positions file into a directory being removed.
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

async function main(): Promise<void> {
  if (!BIN) {
    console.log('promtail-pipeline: skipped (set PROMTAIL_BIN to a Promtail 3.x binary to measure the pipeline on it)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mesh-audit-promtail-bench-'));
  let pushed: PushedEntry[] = [];
  const sink = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', () => {
      try {
        pushed.push(...decodePush(Buffer.concat(body)));
        res.writeHead(204).end();
      } catch (e) {
        // Promtail does not retry a 400: the bench then sees the lines missing, with why.
        console.error(`promtail-pipeline: undecodable push: ${(e as Error).message}`);
        res.writeHead(400).end((e as Error).message);
      }
    });
  });
  try {
    const windowMs = parseDuration(process.env.BENCH_WINDOW ?? '30m');
    const root = join(dir, 'mesh');
    const generated: GeneratedLine[] = [...generate({ seed: 7, start: Date.UTC(2026, 10, 30, 9), durationMs: windowMs, ratePerSecond: 5 })];
    const lines = new LogWriter(root).write(generated);
    const lokiPort = await listen(sink);
    // npm run bench runs from the repository root.
    const compose = join(process.cwd(), 'provisioning', 'promtail', 'promtail.yaml');
    // The same targets with no pipeline of ours: what reading, batching and pushing alone cost.
    const passThrough = parse(readFileSync(compose, 'utf8'));
    passThrough.scrape_configs[0].pipeline_stages = [{ labelallow: ['platform', 'log_type'] }];
    const passThroughFile = join(dir, 'pass-through.yaml');
    writeFileSync(passThroughFile, stringify(passThrough));

    const results: Array<{ name: string; cpu: number; wallMs: number; pushed: PushedEntry[] }> = [];
    const baseline = process.env.BENCH_BASELINE;
    const runs: Array<[string, string]> = [
      ['pass-through pipeline', passThroughFile],
      ...(baseline ? [['baseline (BENCH_BASELINE)', baseline] as [string, string]] : []),
      ['compose pipeline (promtail.yaml)', compose],
    ];
    for (const [name, config] of runs) {
      pushed = [];
      const httpPort = await freePort();
      const env = {
        LOKI_PUSH_URL: `http://127.0.0.1:${lokiPort}/loki/api/v1/push`,
        MESH_LOG_ROOT: root,
        PROMTAIL_POSITIONS: join(dir, `positions-${results.length}.yaml`),
        PROMTAIL_HTTP_PORT: String(httpPort),
      };
      const pprof = config === compose ? process.env.BENCH_PPROF : undefined;
      results.push({ name, ...(await run(config, env, lines, httpPort, pprof)), pushed });
    }
    console.log(`${lines} loggen lines (${process.env.BENCH_WINDOW ?? '30m'} at --rate 5), ${BIN}`);
    const [ceiling] = results;
    for (const r of results) {
      const perCpuSecond = lines / r.cpu;
      report(
        r.name,
        `${Math.round(perCpuSecond)} lines/CPU-s`,
        r === ceiling ? undefined : { value: perCpuSecond / (lines / ceiling.cpu), against: ceiling.name }
      );
      console.log(
        `${''.padEnd(44)} ${`${r.cpu.toFixed(1)} CPU-s`.padStart(18)}  ${(r.wallMs / 1000).toFixed(1)} s wall`
      );
    }
    for (const r of results.filter((x) => x !== ceiling)) {
      const c = checkShipped(generated, r.pushed);
      console.log(
        `${r.name}: ${c.pushed} pushed; records ${c.equal} equal to normalizeLine's, ${c.differ} differ, ${c.missing} missing, ${c.extra} extra`
      );
      c.problems.forEach((p) => console.log(`  ${p}`));
      if (c.equal !== lines || c.extra > 0 || c.problems.length > 0) {
        process.exitCode = 1;
      }
    }
    if (baseline) {
      const [before, after] = results.slice(1);
      console.log(`pushed lines that differ byte for byte between the baseline and promtail.yaml: ${byteDifferences(before.pushed, after.pushed)}`);
      const fixtures = join(dir, 'fixtures');
      const fixtureCount = writeFixtureFiles(fixtures);
      const runs: PushedEntry[][] = [];
      const starts: bigint[] = [];
      for (const config of [baseline, compose]) {
        pushed = [];
        starts.push(BigInt(Date.now()) * BigInt(1_000_000));
        const httpPort = await freePort();
        const env = {
          LOKI_PUSH_URL: `http://127.0.0.1:${lokiPort}/loki/api/v1/push`,
          MESH_LOG_ROOT: fixtures,
          PROMTAIL_POSITIONS: join(dir, `positions-fixtures-${runs.length}.yaml`),
          PROMTAIL_HTTP_PORT: String(httpPort),
        };
        await run(config, env, undefined, httpPort);
        runs.push(pushed);
      }
      const differ = byteDifferences(runs[0], runs[1], [starts[0], starts[1]]);
      console.log(
        `fixture files (${fixtureCount} lines, all ten formats, damaged and secret-bearing): ${runs[0].length} pushed by the baseline, ${runs[1].length} by promtail.yaml, ${differ} differ byte for byte`
      );
      if (differ > 0 || runs[0].length === 0) {
        process.exitCode = 1;
      }
    }
  } finally {
    sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`promtail-pipeline: ${(e as Error).message}`);
  process.exitCode = 1;
});
