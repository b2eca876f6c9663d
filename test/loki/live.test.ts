/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
/**
 * The real-path conformance suite (`npm run test:loki`): loggen's window pushed into a real Loki
 * at LOKI_URL, then the data source's own query() for every query type through the Loki data
 * source's proxy route, compared with loggen's truth. It records Loki's answers for the replay
 * that CI runs (replay.test.ts). Without LOKI_URL every test is skipped and says so.
 */
import { liveLoki } from './live';
import { http } from './http';
import { askLeg, dataSource, type LegAnswers } from './conformance';
import { POLICY } from './policy';
import { askBadInput, BAD_INPUT_TENANTS, describeBadInput, type BadInputAnswers } from './bad-input';
import { describeLeg, printScorecard, scorecard } from './expectations';
import { ensureWindow } from './ingest';
import { writeRecording, type RecordingName } from './recordings';
import { LOKI_UIDS, PROMTAIL_WINDOW, WINDOWS, type ConformanceWindow, type Leg } from './window';
import { shipThroughPromtail } from './promtail-leg';
import type { DataFrame } from '@grafana/data';
import { askNewEdges, CHANGE_TENANTS, CHANGE_WINDOW, describeNewEdgesCase } from './new-edges';

const LOKI_URL = process.env.LOKI_URL;
const PROMTAIL_BIN = process.env.PROMTAIL_BIN;
const SKIP = LOKI_URL ? null : 'needs a running Loki: set LOKI_URL (e.g. http://127.0.0.1:3100; auth_enabled, any tenants)';
const ALL_LEGS: Leg[] = ['normalized', 'raw'];
// CONFORMANCE_LEGS=normalized (or an empty value) runs only those legs, e.g. to re-record one.
const LEGS = ALL_LEGS.filter((leg) => (process.env.CONFORMANCE_LEGS ?? ALL_LEGS.join(',')).split(',').includes(leg));
/** Answers per window suffix and leg. */
const answers = new Map<string, LegAnswers | Error>();
let badInput: BadInputAnswers | Error | undefined;
let newEdges: DataFrame[] | Error | undefined;

if (SKIP) {
  console.log(`Real-Loki conformance suite: every test skipped, it ${SKIP}.`);
}

beforeAll(async () => {
  if (!LOKI_URL) {
    return;
  }
  const build = JSON.parse((await http(`${LOKI_URL.replace(/\/+$/, '')}/loki/api/v1/status/buildinfo`)).body);
  // A Loki built without release ldflags reports an empty version: LOKI_VERSION names it then.
  const loki = { version: build.version || process.env.LOKI_VERSION || 'unknown', revision: build.revision || 'unknown' };
  const report: string[] = [];
  // The shipper leg: the first window through a real Promtail, read as normalised records.
  const runs: Array<{ window: ConformanceWindow; legs: Leg[] }> = [
    ...WINDOWS.map((window) => ({ window, legs: LEGS })),
    ...(PROMTAIL_BIN && LEGS.includes('normalized') ? [{ window: PROMTAIL_WINDOW, legs: ['normalized' as const] }] : []),
  ];
  for (const { window, legs } of runs) {
    report.push(`window seed ${window.spec.seed}, rate ${window.spec.ratePerSecond}/s, from ${new Date(window.spec.startMs).toISOString()} (${window.lines().length} lines)${window === PROMTAIL_WINDOW ? ', shipped by Promtail' : ''}`);
    for (const leg of legs) {
      const live = liveLoki(LOKI_URL, { [LOKI_UIDS[leg]]: window.tenants[leg] });
      const key: RecordingName = `${leg}${window.suffix}`;
      try {
        if (window === PROMTAIL_WINDOW) {
          await shipThroughPromtail(LOKI_URL, PROMTAIL_BIN!, window);
        } else {
          await ensureWindow(LOKI_URL, leg, window);
        }
        const legAnswers = await askLeg(dataSource(leg, live.backendSrv, POLICY), live.backendSrv, leg, window);
        answers.set(key, legAnswers);
        report.push(printScorecard(scorecard(leg, legAnswers, window)), `  Loki requests ${live.requests}, ${Math.round(live.elapsedMs)} ms in Loki`);
      } catch (error) {
        const failed = error instanceof Error ? error : new Error(String(error));
        answers.set(key, failed);
        report.push(`${leg}: stopped: ${failed.message}`);
      }
      // Recorded whatever happened: a failed run's answers show what Loki said.
      writeRecording(key, loki, live.recorded, window.spec);
    }
  }
  const live = liveLoki(LOKI_URL, BAD_INPUT_TENANTS);
  badInput = await askBadInput(live.backendSrv).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  writeRecording('bad-input', loki, live.recorded);
  if (LEGS.includes('normalized')) {
    const edgesLive = liveLoki(LOKI_URL, CHANGE_TENANTS);
    newEdges = await ensureWindow(LOKI_URL, 'normalized', CHANGE_WINDOW)
      .then(() => askNewEdges(edgesLive.backendSrv))
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    writeRecording(`normalized${CHANGE_WINDOW.suffix}`, loki, edgesLive.recorded, CHANGE_WINDOW.spec);
  }
  console.log(`Conformance scorecard\n${report.join('\n')}`);
}, 100 * 60_000);

for (const window of WINDOWS) {
  for (const leg of ALL_LEGS) {
    describeLeg(leg, () => answers.get(`${leg}${window.suffix}`), SKIP ?? (LEGS.includes(leg) ? null : 'not in CONFORMANCE_LEGS'), window);
  }
}
describeLeg(
  'normalized',
  () => answers.get(`normalized${PROMTAIL_WINDOW.suffix}`),
  SKIP ?? (!PROMTAIL_BIN ? 'needs PROMTAIL_BIN (a Promtail 3.6 you built) for the shipper leg' : LEGS.includes('normalized') ? null : 'not in CONFORMANCE_LEGS'),
  PROMTAIL_WINDOW
);
describeBadInput(() => badInput, SKIP);
describeNewEdgesCase(() => newEdges, SKIP ?? (LEGS.includes('normalized') ? null : 'not in CONFORMANCE_LEGS'));
