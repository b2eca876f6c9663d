/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
/**
 * Retention coverage on a real Loki (issue 12), opt-in: the retention window with its gap day is
 * pushed into a tenant of the Loki at LOKI_URL (started with -validation.reject-old-samples=false),
 * the data source's own retention query runs through the Loki data source's proxy route, and the
 * answers are recorded for the replay CI runs (retention.replay.test.ts). Without LOKI_URL every test
 * is skipped and says so. With LOKI_RUNTIME_CONFIG (the Loki's -runtime-config.file) the test writes
 * RUNTIME_OVERRIDES there and checks Loki's per-tenant resolution of them too.
 *
 *   LOKI_URL=http://127.0.0.1:3100 LOKI_RUNTIME_CONFIG=<its -runtime-config.file> npx jest --runInBand test/loki/retention.live
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { LokiClient } from '../../src/core/loki/client';
import { retentionLimitsOf } from '../../src/core/retention/configured';
import { GrafanaLokiTransport } from '../../src/datasource/loki/grafanaTransport';
import { http } from './http';
import { liveLoki } from './live';
import {
  askRetention,
  describeRetention,
  expectedOverrideLimits,
  overrideTenantLimits,
  RETENTION_TENANTS,
  type RetentionAnswers,
} from './retention-checks';
import { writeRetentionRecording } from './retention-recording';
import { ensureLoggenDays } from './retention-loggen';
import {
  CAPPED_LOKI_UID,
  CAPPED_WINDOW,
  ensureRetentionWindow,
  RUNTIME_OVERRIDES,
  YEAR_WINDOW,
} from './retention-window';

const LOKI_URL = process.env.LOKI_URL;
const SKIP = LOKI_URL
  ? null
  : 'needs a running Loki: set LOKI_URL (auth_enabled, -validation.reject-old-samples=false)';
const RUNTIME_CONFIG = process.env.LOKI_RUNTIME_CONFIG;
const OVERRIDES_SKIP = RUNTIME_CONFIG ? null : "set LOKI_RUNTIME_CONFIG to the Loki's -runtime-config.file";
let answers: RetentionAnswers | Error | undefined;

if (SKIP) {
  console.log(`Retention live test: every test skipped, it ${SKIP}.`);
}

/** Writes the overrides and waits until Loki, which rereads the file every runtime_config.period (10s), holds them. */
async function applyOverrides(lokiUrl: string, file: string): Promise<void> {
  writeFileSync(file, stringify(RUNTIME_OVERRIDES));
  const expected = JSON.stringify(expectedOverrideLimits());
  const deadline = Date.now() + 60_000;
  for (;;) {
    const held = JSON.stringify(
      retentionLimitsOf(await overrideTenantLimits(liveLoki(lokiUrl, RETENTION_TENANTS).backendSrv), 'x')
    );
    const capped = (
      await new LokiClient(
        new GrafanaLokiTransport(CAPPED_LOKI_UID, () => liveLoki(lokiUrl, RETENTION_TENANTS).backendSrv)
      ).drilldownLimits()
    ).volumeMaxSeries;
    if ((held === expected && capped === 2) || Date.now() > deadline) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

beforeAll(async () => {
  if (!LOKI_URL) {
    return;
  }
  const build = JSON.parse((await http(`${LOKI_URL.replace(/\/+$/, '')}/loki/api/v1/status/buildinfo`)).body);
  const loki = {
    version: build.version || process.env.LOKI_VERSION || 'unknown',
    revision: build.revision || 'unknown',
  };
  const seeded = await ensureRetentionWindow(LOKI_URL);
  const year = await ensureRetentionWindow(LOKI_URL, YEAR_WINDOW);
  const loggenDays = await ensureLoggenDays(LOKI_URL);
  if (RUNTIME_CONFIG) {
    await ensureRetentionWindow(LOKI_URL, CAPPED_WINDOW);
    await applyOverrides(LOKI_URL, RUNTIME_CONFIG);
  }
  const live = liveLoki(LOKI_URL, RETENTION_TENANTS);
  const started = performance.now();
  answers = await askRetention(live.backendSrv, RUNTIME_CONFIG !== undefined).catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error))
  );
  console.log(
    `Retention on Loki ${loki.version}: ${seeded.pushed ? 'pushed' : 'found'} ${seeded.lines} lines, ${year.lines} over 400 days and ${loggenDays.lines} of loggen's; ` +
      `${answers instanceof Error ? `failed: ${answers.message}` : `${answers.requests} data source requests`}, ` +
      `${live.requests} requests in all, ${Math.round(live.elapsedMs)} ms in Loki, ${Math.round(performance.now() - started)} ms in all`
  );
  writeRetentionRecording(loki, live.recorded);
}, 20 * 60_000);

describeRetention(() => answers, SKIP, SKIP ?? OVERRIDES_SKIP);
