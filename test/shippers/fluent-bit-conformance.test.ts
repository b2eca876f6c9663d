/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
/**
 * Opt-in: the conformance window (test/loki/window.ts) through a real Fluent Bit running
 * provisioning/shippers/fluent-bit/ as shipped (only the paths, Loki's address and TLS changed
 * for loopback), into a real Loki; then the data source's own query() for every query type,
 * compared with loggen's truth by the conformance suite's own expectations. Needs FLUENT_BIT_BIN
 * (Fluent Bit >= 3; it builds from fluent/fluent-bit's source with cmake) and LOKI_URL (auth
 * enabled; the lines go to tenant conformance-fluent-bit). Without them every test is skipped and
 * says so. Nothing is recorded: the replayed recordings come from test/loki/live.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileLine } from '../../loggen/layout';
import type { LegAnswers } from '../loki/conformance';
import { linesInLoki } from '../loki/ingest';
import { LOKI_UIDS, windowLines } from '../loki/window';
import { FB_DIR } from './fluent-bit-standin';

const BIN = process.env.FLUENT_BIT_BIN;
const LOKI_URL = process.env.LOKI_URL;
const SKIP = BIN && LOKI_URL ? null : 'needs FLUENT_BIT_BIN (a Fluent Bit binary) and LOKI_URL (a Loki with auth_enabled)';
const TENANT = 'conformance-fluent-bit';
let answers: LegAnswers | undefined;

if (SKIP) {
  console.log(`Fluent Bit conformance: every test skipped, it ${SKIP}.`);
}

/** fluent-bit.yaml with the node's paths under `root`, plain HTTP, and no HTTP server port to clash. */
function loopbackConfig(root: string, state: string): string {
  return readFileSync(join(FB_DIR, 'fluent-bit.yaml'), 'utf8')
    .replace(/\/var\/log\/mesh\//g, `${root}/`)
    .replace(/\/var\/lib\/fluent-bit\//g, `${state}/`)
    .replace(', /var/log/pods/*/*/*.log', '')
    .replace(/^( {6}tls(?:\.verify)?): on$/gm, '$1: off')
    .replace(/^ {2}http_server: on$/m, '  http_server: off');
}

async function shipWindow(lines: ReturnType<typeof windowLines>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-audit-fluent-bit-'));
  const root = join(dir, 'mesh');
  const state = join(dir, 'state');
  mkdirSync(state, { recursive: true });
  for (const l of lines) {
    const path = join(root, l.file);
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, fileLine(l) + '\n');
  }
  for (const f of readdirSync(FB_DIR).filter((n) => n !== 'fluent-bit.yaml')) {
    copyFileSync(join(FB_DIR, f), join(dir, f));
  }
  writeFileSync(join(dir, 'fluent-bit.yaml'), loopbackConfig(root, state));
  const url = new URL(LOKI_URL!);
  const env = { ...process.env, LOKI_HOST: url.hostname, LOKI_PORT: url.port || '80', LOKI_TENANT: TENANT, LOKI_USERNAME: '', LOKI_PASSWORD: '' };
  const child = spawn(BIN!, ['-c', join(dir, 'fluent-bit.yaml')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += String(d)));
  try {
    // A busy machine ships slowly: give up only when no line arrived for two minutes.
    let seen = -1;
    let stalledSince = Date.now();
    for (;;) {
      const n = await linesInLoki(LOKI_URL!, TENANT);
      if (n === lines.length) {
        return;
      }
      if (n !== seen) {
        seen = n;
        stalledSince = Date.now();
      }
      if (n > lines.length || Date.now() - stalledSince > 120_000 || child.exitCode !== null) {
        throw new Error(`Loki holds ${n} of ${lines.length} lines for ${TENANT}; Fluent Bit said:\n${log.slice(-2000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (SKIP) {
  it.skip(`the conformance suite through a real Fluent Bit (skipped: it ${SKIP})`, () => undefined);
} else {
  // Loaded only when the suite runs (loggen's truth for the window and the data source are heavy),
  // and typed here by what this file uses, so the suite's modules can move without breaking CI.
  const suite = {
    ...require('../loki/live'),
    ...require('../loki/policy'),
    ...require('../loki/conformance'),
    ...require('../loki/expectations'),
  } as {
    liveLoki: (lokiUrl: string, tenants: Record<string, string>) => { backendSrv: unknown };
    POLICY: unknown;
    dataSource: (leg: 'normalized', backendSrv: unknown, policy: unknown) => unknown;
    askLeg: (ds: unknown, backendSrv: unknown, leg: 'normalized') => Promise<LegAnswers>;
    scorecard: (leg: 'normalized', answers: LegAnswers) => unknown;
    printScorecard: (card: unknown) => string;
    describeLeg: (leg: 'normalized', answers: () => LegAnswers | undefined, skip: string | null) => void;
  };
  const { liveLoki, POLICY, dataSource, askLeg, scorecard, printScorecard, describeLeg } = suite;

  beforeAll(async () => {
    const lines = windowLines();
    const before = await linesInLoki(LOKI_URL!, TENANT);
    if (before === 0) {
      await shipWindow(lines);
    } else if (before !== lines.length) {
      throw new Error(`Tenant ${TENANT} holds ${before} lines, not 0 or the window's ${lines.length}: use a fresh Loki.`);
    }
    const live = liveLoki(LOKI_URL!, { [LOKI_UIDS.normalized]: TENANT });
    answers = await askLeg(dataSource('normalized', live.backendSrv, POLICY), live.backendSrv, 'normalized');
    console.log(`Fluent Bit conformance (${lines.length} lines)\n${printScorecard(scorecard('normalized', answers))}`);
  }, 60 * 60_000);

  describeLeg('normalized', () => answers, SKIP);
}
