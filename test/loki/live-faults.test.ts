/**
 * @jest-environment node
 */
/**
 * Fault tests of the shipping and storage layer on real programs (`npm run test:loki`): a 3-hour
 * backlog that Promtail catches up on after an outage, then a Loki restarted from its data
 * directory alone. Both run the project's own configs (promtail.yaml, loki.yaml with only its
 * volume path and ports changed). Counted by Loki itself: every line loggen wrote must be there.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAudit } from '../../loggen/audit';
import { generate } from '../../loggen/generate';
import { LogWriter } from '../../loggen/writer';
import { http } from './http';
import { linesInLoki } from './ingest';
import { flushLoki, promtailDone, startLoki, startPromtail, stop, type RunningLoki } from './processes';

const { LOKI_BIN, PROMTAIL_BIN } = process.env;
const SKIP =
  LOKI_BIN && PROMTAIL_BIN
    ? null
    : 'need LOKI_BIN and PROMTAIL_BIN (binaries you built: Loki 3.7, Promtail 3.6); the tests start them on 127.0.0.1';
const TENANT = 'faults';
const HOUR = 3_600_000;
// Recent, so Loki's shipped reject_old_samples_max_age (168h) applies as it would in production.
const END_MS = Math.floor(Date.now() / 60_000) * 60_000;
const BACKLOG = { seed: 7, start: END_MS - 3 * HOUR, durationMs: 3 * HOUR, ratePerSecond: 5 };

if (SKIP) {
  console.log(`Fault tests: every test skipped, they ${SKIP}.`);
}

// Every line of the backlog, whatever its log type: the count must equal what loggen wrote.
const lines = (loki: RunningLoki) =>
  linesInLoki(loki.url, TENANT, { endMs: END_MS, durationMs: BACKLOG.durationMs, selector: '{log_type=~".+"}' });

async function discarded(loki: RunningLoki): Promise<string> {
  const metrics = (await http(`${loki.url}/metrics`)).body;
  return (
    [...metrics.matchAll(/^loki_discarded_samples_total\{([^}]*)\} (\S+)$/gm)]
      .map((m) => `${m[1]}: ${m[2]}`)
      .join('; ') || 'none'
  );
}

const maybe = SKIP ? describe.skip : describe;

maybe('shipper and Loki faults on real programs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-audit-faults-'));
  const dataDir = join(dir, 'loki');
  const logRoot = join(dir, 'mesh');
  const workDir = join(dir, 'cwd');
  let loki: RunningLoki | undefined;
  let written = 0;

  beforeAll(async () => {
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(workDir, { recursive: true });
    // The outage: three hours of every pod's log and of the API servers' audit logs written while no shipper runs.
    const writer = new LogWriter(logRoot);
    written = writer.write(generate(BACKLOG)) + writer.write(generateAudit(BACKLOG));
    loki = await startLoki(LOKI_BIN!, dataDir, join(dir, 'loki-1.log'), workDir);
  }, 180_000);

  afterAll(async () => {
    if (loki) {
      await stop(loki.child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test(
    'after a 3-hour backlog, every line reaches Loki',
    async () => {
      const promtail = await startPromtail(PROMTAIL_BIN!, {
        pushUrl: `${loki!.url}/loki/api/v1/push`,
        tenant: TENANT,
        logRoot,
        positions: join(dir, 'positions.yaml'),
      });
      try {
        const shipped = await promtailDone(promtail, written, 15 * 60_000);
        const stored = await lines(loki!);
        console.log(
          `backlog: ${written} lines written, Promtail sent ${shipped.sent} and dropped ${shipped.dropped}, Loki holds ${stored}; discarded: ${await discarded(loki!)}`
        );
        expect(shipped.dropped).toBe(0);
        expect(stored).toBe(written);
      } finally {
        await stop(promtail.child);
      }
    },
    20 * 60_000
  );

  test(
    'after a Loki restart from its data directory alone, every line is still there',
    async () => {
      // Flushed chunks and the shipped index must land on the volume, not in Loki's working directory.
      const flushed = await flushLoki(loki!.url);
      await stop(loki!.child);
      expect(readdirSync(workDir)).toEqual([]);
      // Without the WAL, only what was flushed to the volume can answer.
      rmSync(join(dataDir, 'wal'), { recursive: true, force: true });
      loki = await startLoki(LOKI_BIN!, dataDir, join(dir, 'loki-2.log'), workDir);
      const stored = await lines(loki);
      console.log(
        `restart: ${written} lines written, ${flushed} chunks flushed, Loki holds ${stored} after a restart without its WAL`
      );
      expect(stored).toBe(written);
    },
    5 * 60_000
  );
});

if (SKIP) {
  test.skip(`fault tests (${SKIP})`, () => undefined);
}
