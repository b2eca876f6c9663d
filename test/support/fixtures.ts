/**
 * The one way tests read test/fixtures (node only; the playground bundles recordings through
 * its own import). Paths are relative to test/fixtures, e.g. `loki/query_range_matrix.json`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Bundled into a bench (scripts/node-bundle.mjs), __dirname is the bundle's directory; benches run from the repository root.
const NEAR = join(__dirname, '..', 'fixtures');
export const FIXTURES_DIR = existsSync(NEAR) ? NEAR : join(process.cwd(), 'test', 'fixtures');
export const LOKI_FIXTURES_DIR = join(FIXTURES_DIR, 'loki');

export const fixturePath = (relative: string): string => join(FIXTURES_DIR, relative);

export const readFixture = (relative: string): string => readFileSync(fixturePath(relative), 'utf8');

export const listFixtures = (dir: string): string[] => readdirSync(fixturePath(dir));

/** A real Loki body under test/fixtures/loki, e.g. `query_range_matrix.json` or `extra/patterns.json`. */
export const readLokiFixture = (name: string): string => readFixture(join('loki', name));

/** The HTTP status encoded in an error fixture's name (`error_429_...txt` -> 429). */
export function fixtureStatus(name: string): number {
  const m = /^error_(\d{3})_/.exec(name);
  return m ? Number(m[1]) : 200;
}

/** Lines of a test/fixtures/mesh-logs file, as a shipper would hand them over (no newline, nothing trimmed). */
export function fixtureLines(file: string): string[] {
  const lines = readFixture(join('mesh-logs', file)).split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

/** Every access-log file of test/fixtures/mesh-logs, sorted. */
export const meshLogFiles = (): string[] =>
  listFixtures('mesh-logs')
    .filter((f) => f.endsWith('.log'))
    .sort();
