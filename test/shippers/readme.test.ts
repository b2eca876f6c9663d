/** @jest-environment node */
/**
 * The shipper × format matrix in provisioning/shippers/README.md must say what the tests check:
 * every `full` cell is a format whose records the shipper's test compares with normalizeLine on
 * real lines, and the Vector `partial` cells are the formats its remap parses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILE_NAMES } from '../../src/core/schema';
import { PIPELINE_FORMATS } from './lib/fixtures';

const SHIPPERS = join(__dirname, '..', '..', 'provisioning', 'shippers');
const readme = readFileSync(join(SHIPPERS, 'README.md'), 'utf8');

function matrix(): { shippers: string[]; rows: Record<string, Record<string, string>> } {
  const start = readme.indexOf('<!-- matrix:');
  const after = readme.slice(start).split('\n').slice(1);
  const end = after.findIndex((l) => !l.startsWith('|'));
  const lines = after.slice(0, end < 0 ? after.length : end);
  const cells = (l: string) => l.split('|').slice(1, -1).map((c) => c.trim());
  const [header, , ...body] = lines;
  const shippers = cells(header).slice(1);
  const rows: Record<string, Record<string, string>> = {};
  for (const l of body) {
    const [format, ...values] = cells(l);
    rows[format] = Object.fromEntries(shippers.map((s, i) => [s, values[i]]));
  }
  return { shippers, rows };
}

describe('README shipper × format matrix', () => {
  const { shippers, rows } = matrix();

  it('has one row per profile and one column per shipper', () => {
    expect(new Set(Object.keys(rows))).toEqual(new Set(PROFILE_NAMES));
    expect(shippers).toEqual(['Promtail', 'Alloy', 'Fluent Bit', 'Fluentd', 'Logstash', 'Vector']);
  });

  it.each([
    ['Promtail', PIPELINE_FORMATS],
    ['Alloy', PIPELINE_FORMATS],
    ['Fluent Bit', PIPELINE_FORMATS],
    ['Fluentd', PIPELINE_FORMATS],
    ['Logstash', PIPELINE_FORMATS],
  ] as const)('marks as full exactly the formats the %s tests check field by field', (shipper, tested) => {
    const full = Object.keys(rows).filter((f) => rows[f][shipper] === 'full');
    expect(new Set(full)).toEqual(new Set(tested));
    expect(Object.keys(rows).filter((f) => !full.includes(f)).every((f) => rows[f][shipper] === '—')).toBe(true);
  });

  it('marks as partial for Vector exactly the formats its remap parses', () => {
    const vrl = readFileSync(join(SHIPPERS, 'vector', 'vector.yaml'), 'utf8');
    // The parse branches: from the first parser call to the catch-all that names other formats.
    const branches = vrl.slice(vrl.indexOf('      f = {}'), vrl.indexOf('is not normalised by this Vector config'));
    const parsed = PROFILE_NAMES.filter((f) => branches.includes(`format == "${f}"`));
    expect(parsed.length).toBeGreaterThan(0);
    const partial = Object.keys(rows).filter((f) => rows[f].Vector === 'partial');
    expect(new Set(partial)).toEqual(new Set(parsed));
    expect(Object.keys(rows).filter((f) => !partial.includes(f)).every((f) => rows[f].Vector === '—')).toBe(true);
  });
});
