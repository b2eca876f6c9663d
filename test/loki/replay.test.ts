/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
/**
 * The conformance comparisons on the answers a real Loki gave (test/fixtures/loki-recorded),
 * replayed through the data source's own query() with no Loki: what CI can check of the real path.
 */
import { replayLoki } from '../support/grafanaRuntime';
import { askLeg, dataSource, type LegAnswers } from './conformance';
import { POLICY } from './policy';
import { askBadInput, BAD_INPUT_TENANTS, describeBadInput, type BadInputAnswers } from './bad-input';
import { describeLeg } from './expectations';
import { readRecording, RERECORD } from './recordings';
import { LOKI_UIDS, PROMTAIL_WINDOW, WINDOWS, type ConformanceWindow, type Leg } from './window';
import type { DataFrame } from '@grafana/data';
import { askNewEdges, CHANGE_TENANTS, CHANGE_WINDOW, describeNewEdgesCase } from './new-edges';

const LEGS: Leg[] = ['normalized', 'raw'];
/** Every recorded run: each window in both modes, and the first window shipped by a real Promtail. */
const RUNS: Array<{ window: ConformanceWindow; leg: Leg }> = [
  ...WINDOWS.flatMap((window) => LEGS.map((leg) => ({ window, leg }))),
  { window: PROMTAIL_WINDOW, leg: 'normalized' },
];
/** Answers per window suffix and leg. */
const answers = new Map<string, LegAnswers | Error>();
let badInput: BadInputAnswers | Error | undefined;
let newEdges: DataFrame[] | Error | undefined;

describe('recorded real answers', () => {
  it.each(RUNS.map(({ window, leg }) => [`${leg}${window.suffix}`, window] as const))('exist for %s and for its window', (name, window) => {
    const recording = readRecording(name);
    expect(recording).not.toBeNull();
    expect(recording!.window).toEqual(window.spec);
  });

  it('exist for the bad-input cases', () => {
    expect(readRecording('bad-input')).not.toBeNull();
  });

  it('exist for the new-edges case and its span', () => {
    expect(readRecording(`normalized${CHANGE_WINDOW.suffix}`)?.window).toEqual(CHANGE_WINDOW.spec);
  });
});

beforeAll(async () => {
  for (const { window, leg } of RUNS) {
    const recording = readRecording(`${leg}${window.suffix}`);
    if (recording) {
      const backendSrv = replayLoki(recording.answers, { [LOKI_UIDS[leg]]: window.tenants[leg] }, RERECORD);
      const answer = await askLeg(dataSource(leg, backendSrv, POLICY), backendSrv, leg, window).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      answers.set(`${leg}${window.suffix}`, answer);
    }
  }
  const bad = readRecording('bad-input');
  if (bad) {
    badInput = await askBadInput(replayLoki(bad.answers, BAD_INPUT_TENANTS, RERECORD)).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }
  const edges = readRecording(`normalized${CHANGE_WINDOW.suffix}`);
  if (edges) {
    newEdges = await askNewEdges(replayLoki(edges.answers, CHANGE_TENANTS, RERECORD)).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }
}, 240_000);

for (const { window, leg } of RUNS) {
  describeLeg(leg, () => answers.get(`${leg}${window.suffix}`), null, window);
}
describeBadInput(() => badInput, null);
describeNewEdgesCase(() => newEdges, null);
