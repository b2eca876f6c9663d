/**
 * The recorded real answers of the retention live test (test/fixtures/loki-recorded/retention-index.json):
 * what a real Loki said to each index request, replayed in CI. Its own file, beside the conformance
 * recordings, because it holds its own window (retention-window.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestKey, type RecordedAnswer } from '../support/grafanaRuntime';
import { RECORDINGS_DIR } from './recordings';
import { GAP_DAY_MS, RETENTION_DAYS, RETENTION_TENANT } from './retention-window';

export const RETENTION_RECORDING = join(RECORDINGS_DIR, 'retention-index.json');
export const RETENTION_RERECORD =
  'start a Loki with -validation.reject-old-samples=false, -runtime-config.file=<file> and a fresh data directory, then ' +
  'LOKI_URL=http://127.0.0.1:3100 LOKI_RUNTIME_CONFIG=<file> npx jest --runInBand test/loki/retention.live';

export const RETENTION_WINDOW = {
  tenant: RETENTION_TENANT,
  firstDayMs: RETENTION_DAYS.firstMs,
  days: RETENTION_DAYS.count,
  gapDayMs: GAP_DAY_MS,
};

export interface RetentionRecording {
  loki: { version: string; revision: string };
  recordedAt: string;
  window: typeof RETENTION_WINDOW;
  answers: RecordedAnswer[];
}

export function readRetentionRecording(): RetentionRecording | null {
  return existsSync(RETENTION_RECORDING)
    ? (JSON.parse(readFileSync(RETENTION_RECORDING, 'utf8')) as RetentionRecording)
    : null;
}

export function writeRetentionRecording(loki: RetentionRecording['loki'], answers: readonly RecordedAnswer[]): void {
  const unique = new Map(answers.map((a) => [requestKey(a.tenant, a.path, a.params), a]));
  const recording: RetentionRecording = {
    loki,
    recordedAt: new Date().toISOString(),
    window: RETENTION_WINDOW,
    answers: [...unique.values()],
  };
  writeFileSync(RETENTION_RECORDING, JSON.stringify(recording, null, 1) + '\n');
}
