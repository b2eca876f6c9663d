/**
 * The recorded real answers (test/fixtures/loki-recorded/<leg>.json): what a real Loki said to
 * each request of a live conformance run, replayed in CI where no Loki runs.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestKey, type RecordedAnswer } from '../support/grafanaRuntime';
export { RERECORD } from './rerecord';
import { WINDOW, type Leg, type WindowSpec } from './window';

/** A recording per conformance leg and window (`raw`, `raw-s11`), and one of the bad-input cases. */
export type RecordingName = `${Leg}${string}` | 'bad-input';

export const RECORDINGS_DIR = join(__dirname, '..', 'fixtures', 'loki-recorded');

export interface Recording {
  /** The Loki that answered (its /loki/api/v1/status/buildinfo) and when. */
  loki: { version: string; revision: string };
  recordedAt: string;
  window: WindowSpec;
  answers: RecordedAnswer[];
}

const pathOf = (leg: RecordingName) => join(RECORDINGS_DIR, `${leg}.json`);

export function readRecording(leg: RecordingName): Recording | null {
  return existsSync(pathOf(leg)) ? (JSON.parse(readFileSync(pathOf(leg), 'utf8')) as Recording) : null;
}

/** One answer per request (a query asked twice is recorded once: the suite checks both agree). */
export function writeRecording(leg: RecordingName, loki: Recording['loki'], answers: readonly RecordedAnswer[], window: WindowSpec = WINDOW): void {
  const unique = new Map(answers.map((a) => [requestKey(a.tenant, a.path, a.params), a]));
  const recording: Recording = { loki, recordedAt: new Date().toISOString(), window, answers: [...unique.values()] };
  writeFileSync(pathOf(leg), JSON.stringify(recording, null, 1) + '\n');
}
