/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
/**
 * The retention comparisons on the answers a real Loki gave (test/fixtures/loki-recorded/retention-index.json),
 * replayed through the data source's own query() with no Loki.
 */
import { replayLoki } from '../support/grafanaRuntime';
import { askRetention, describeRetention, RETENTION_TENANTS, type RetentionAnswers } from './retention-checks';
import { readRetentionRecording, RETENTION_RERECORD, RETENTION_WINDOW } from './retention-recording';

let answers: RetentionAnswers | Error | undefined;
const recording = readRetentionRecording();

it('the recorded real answers exist, for this window', () => {
  expect(recording).not.toBeNull();
  expect(recording!.window).toEqual(RETENTION_WINDOW);
});

beforeAll(async () => {
  if (recording) {
    answers = await askRetention(replayLoki(recording.answers, RETENTION_TENANTS, RETENTION_RERECORD), true).catch(
      (error: unknown) => (error instanceof Error ? error : new Error(String(error)))
    );
  }
});

describeRetention(() => answers, null, null);
