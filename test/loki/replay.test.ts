/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
/**
 * The conformance comparisons on the answers a real Loki gave (test/fixtures/loki-recorded),
 * replayed through the data source's own query() with no Loki: what CI can check of the real path.
 */
import { replayLoki } from './backendSrv';
import { askLeg, dataSource, type LegAnswers } from './conformance';
import { POLICY } from './policy';
import { askBadInput, BAD_INPUT_TENANTS, describeBadInput, type BadInputAnswers } from './bad-input';
import { describeLeg } from './expectations';
import { readRecording, RERECORD } from './recordings';
import { LOKI_UIDS, TENANTS, WINDOW, type Leg } from './window';

const LEGS: Leg[] = ['normalized', 'raw'];
const answers: Partial<Record<Leg, LegAnswers | Error>> = {};
let badInput: BadInputAnswers | Error | undefined;

describe('recorded real answers', () => {
  it.each([...LEGS, 'bad-input'] as const)('exist for %s and for this window', (name) => {
    const recording = readRecording(name);
    expect(recording).not.toBeNull();
    expect(recording!.window).toEqual(WINDOW);
  });
});

beforeAll(async () => {
  for (const leg of LEGS) {
    const recording = readRecording(leg);
    if (recording) {
      const backendSrv = replayLoki(recording.answers, { [LOKI_UIDS[leg]]: TENANTS[leg] }, RERECORD);
      answers[leg] = await askLeg(dataSource(leg, backendSrv, POLICY), backendSrv, leg).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    }
  }
  const bad = readRecording('bad-input');
  if (bad) {
    badInput = await askBadInput(replayLoki(bad.answers, BAD_INPUT_TENANTS, RERECORD)).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }
}, 120_000);

for (const leg of LEGS) {
  describeLeg(leg, () => answers[leg], null);
}
describeBadInput(() => badInput, null);
