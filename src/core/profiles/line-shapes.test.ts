/** @jest-environment node */
import { PROFILES, normalizeLine } from '.';
import { PROFILE_NAMES } from '../schema';
import { LINE_SHAPES } from './line-shapes';
import { fixtureLines, meshLogFiles } from '../../../test/support/fixtures';

const lines = meshLogFiles().flatMap((f) => fixtureLines(f).filter((l) => l.trim() !== ''));
const parsed = lines
  .map((line) => ({ line, result: normalizeLine(line) }))
  .filter((x): x is { line: string; result: { ok: true; record: any } } => x.result.ok);

// JavaScript reads these patterns the same way RE2 does: they use no RE2-only syntax.
const shape = (name: keyof typeof LINE_SHAPES) => new RegExp(LINE_SHAPES[name]);

describe('LINE_SHAPES', () => {
  it('has one shape per profile', () => {
    expect(Object.keys(LINE_SHAPES).sort()).toEqual([...PROFILE_NAMES].sort());
  });

  it('matches every fixture line of its own format', () => {
    expect(parsed.length).toBeGreaterThan(30);
    for (const { line, result } of parsed) {
      expect({ format: result.record.format, matches: shape(result.record.format).test(line) }).toEqual({
        format: result.record.format,
        matches: true,
      });
    }
  });

  it('rejects the lines of every other format of the same mesh', () => {
    let pairs = 0;
    for (const { line, result } of parsed) {
      for (const other of PROFILE_NAMES) {
        if (other !== result.record.format && PROFILES[other].mesh === PROFILES[result.record.format as keyof typeof PROFILES].mesh) {
          pairs++;
          expect({ line, other, matches: shape(other).test(line) }).toEqual({ line, other, matches: false });
        }
      }
    }
    expect(pairs).toBeGreaterThan(10);
  });
});
