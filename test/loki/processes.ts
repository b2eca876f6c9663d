/**
 * Real Loki and Promtail processes for the fault tests: started from binaries the developer built
 * (LOKI_BIN, PROMTAIL_BIN; the project ships none), with the project's own configs, on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { http } from './http';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface RunningLoki {
  url: string;
  child: ChildProcess;
}

/**
 * provisioning/loki/loki.yaml as the compose stack runs it, with its `/loki` volume pointed at
 * `dataDir` and its ports at free loopback ports. Nothing else changes: the limits are the shipped ones.
 */
export async function startLoki(bin: string, dataDir: string, logFile: string, workDir: string): Promise<RunningLoki> {
  const config = readFileSync(join(process.cwd(), 'provisioning', 'loki', 'loki.yaml'), 'utf8').replace(
    /(^|[\s:'"])\/loki\b/g,
    `$1${dataDir}`
  );
  const configFile = join(dataDir, 'loki.yaml');
  writeFileSync(configFile, config);
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const child = spawn(
    bin,
    [
      `-config.file=${configFile}`,
      '-server.http-listen-address=127.0.0.1',
      `-server.http-listen-port=${httpPort}`,
      '-server.grpc-listen-address=127.0.0.1',
      `-server.grpc-listen-port=${grpcPort}`,
    ],
    // A working directory of its own, so a test can see whether Loki writes anything outside its volume.
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: workDir }
  );
  const log: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk));
  child.once('exit', () => writeFileSync(logFile, Buffer.concat(log)));
  const url = `http://127.0.0.1:${httpPort}`;
  await until('Loki /ready', 120_000, async () => {
    if (child.exitCode !== null) {
      throw new Error(`Loki exited with ${child.exitCode}: ${Buffer.concat(log).toString().slice(-2000)}`);
    }
    return (await http(`${url}/ready`)).status === 200 ? true : undefined;
  }).catch(async (error: Error) => {
    await stop(child);
    throw error;
  });
  return { url, child };
}

/** A Prometheus counter's sum over its series, from a /metrics page. */
export function counter(metrics: string, name: string): number {
  const re = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm');
  return [...metrics.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Asks Loki's ingester to flush every chunk, waits until its flushed-chunks counter settles and returns it. */
export async function flushLoki(lokiUrl: string): Promise<number> {
  const base = lokiUrl.replace(/\/+$/, '');
  const flush = await http(`${base}/flush`, { method: 'POST' });
  if (flush.status !== 204) {
    throw new Error(`Loki answered ${flush.status} to /flush: ${flush.body}`);
  }
  let flushed = -1;
  await until('Loki to finish flushing', 120_000, async () => {
    await new Promise((r) => setTimeout(r, 3_000));
    const now = counter((await http(`${base}/metrics`)).body, 'loki_ingester_chunks_flushed_total');
    const settled = now > 0 && now === flushed;
    flushed = now;
    return settled ? true : undefined;
  });
  return flushed;
}

export interface PromtailRun {
  child: ChildProcess;
  metricsUrl: string;
}

/** provisioning/promtail/promtail.yaml, as its header documents it (`-config.expand-env=true`). */
export async function startPromtail(
  bin: string,
  env: { pushUrl: string; tenant: string; logRoot: string; positions: string }
): Promise<PromtailRun> {
  const httpPort = await freePort();
  const child = spawn(
    bin,
    [`-config.file=${join(process.cwd(), 'provisioning', 'promtail', 'promtail.yaml')}`, '-config.expand-env=true'],
    {
      env: {
        ...process.env,
        LOKI_PUSH_URL: env.pushUrl,
        LOKI_TENANT: env.tenant,
        MESH_LOG_ROOT: env.logRoot,
        PROMTAIL_POSITIONS: env.positions,
        PROMTAIL_HTTP_PORT: String(httpPort),
      },
      stdio: 'ignore',
    }
  );
  return { child, metricsUrl: `http://127.0.0.1:${httpPort}/metrics` };
}

/** Waits until Promtail has sent (or given up on) `lines` entries and its counters stop moving. */
export async function promtailDone(
  run: PromtailRun,
  lines: number,
  timeoutMs: number
): Promise<{ sent: number; dropped: number }> {
  let last = '';
  return until(`Promtail to ship ${lines} lines`, timeoutMs, async () => {
    if (run.child.exitCode !== null) {
      throw new Error(`Promtail exited with ${run.child.exitCode}`);
    }
    const metrics = (await http(run.metricsUrl)).body;
    const sent = counter(metrics, 'promtail_sent_entries_total');
    const dropped = counter(metrics, 'promtail_dropped_entries_total');
    const now = `${sent}/${dropped}`;
    const settled = sent + dropped >= lines && now === last;
    last = now;
    return settled ? { sent, dropped } : undefined;
  });
}
