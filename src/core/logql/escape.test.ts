/** @jest-environment node */
import fc from 'fast-check';
import { escapeRegex, quoteString } from './escape';
import { LogqlError } from './errors';
import { renderLogql } from './render';
import { eq, logQuery, selector, contains } from './build';
import { goUnquote, parseLogql, decodedStrings } from '../../../test/support/logql';

const HOSTILE_PIECES = [
  '"', '\\', '\n', '\r', '\t', '`', '{', '}', '|', '#', '=', '~', '(', ')', '[', ']', '.', '*', '+', '?', '^', '$',
  '\x00', '\x01', '\x1b', '\x7f', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff', 'é', '日本', '😀', '\\x41', '\\u0041',
  '"} |= "x', 'a"}) or vector(1) #', '`raw`', '{{.x}}',
];

/** Arbitrary well-formed strings, heavy on characters that could break a literal. */
const hostileString = fc
  .array(
    fc.oneof(
      fc.constantFrom(...HOSTILE_PIECES),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.string({ unit: 'binary-ascii', maxLength: 4 })
    ),
    { maxLength: 12 }
  )
  .map((parts) => parts.join(''));

const RUNS = { seed: 20261126, numRuns: 1500 };

describe('quoteString', () => {
  it('round-trips arbitrary strings through a Go-unquote of the literal lezer-logql finds', () => {
    fc.assert(
      fc.property(hostileString, (value) => {
        const query = renderLogql(logQuery(selector(eq('log_type', 'access'), eq('namespace', value)), contains(value)));
        const parsed = parseLogql(query);
        expect(parsed.errors).toEqual([]);
        // Structure is fixed: two matchers and one line filter, whatever the value.
        expect(parsed.nodes.filter((n) => n === 'Matcher')).toHaveLength(2);
        expect(parsed.nodes.filter((n) => n === 'LineFilter')).toHaveLength(1);
        expect(parsed.strings.map(goUnquote)).toEqual(['access', value, value]);
      }),
      RUNS
    );
  });

  it('escapes backslash first, then quotes and control characters', () => {
    expect(quoteString('a\\"b')).toBe('"a\\\\\\"b"');
    expect(quoteString('\n\r\t\x00\x7f')).toBe('"\\n\\r\\t\\x00\\x7F"');
    expect(quoteString('\u0085\u2028')).toBe('"\\u0085\\u2028"');
    expect(quoteString('é日😀`')).toBe('"é日😀`"');
  });

  it('keeps hostile values inside their literal', () => {
    for (const value of ['"} |= "x', 'a"}) or vector(1) #', 'x"\n} | drop a']) {
      const query = renderLogql(logQuery(selector(eq('namespace', value))));
      const parsed = parseLogql(query);
      expect(parsed.errors).toEqual([]);
      expect(parsed.nodes).not.toContain('LineFilter');
      expect(parsed.nodes).not.toContain('VectorExpr');
      expect(decodedStrings(query)).toEqual([value]);
    }
  });

  it('rejects lone surrogates with a clear error instead of replacing them', () => {
    expect(() => quoteString('ab\ud800')).toThrow(LogqlError);
    expect(() => quoteString('ab\ud800')).toThrow(/lone UTF-16 surrogate \(U\+D800\) at index 2/);
    expect(() => quoteString('\udc00x')).toThrow(/U\+DC00/);
    // A proper pair is fine.
    expect(goUnquote(quoteString('\ud83d\ude00'))).toBe('😀');
  });
});

describe('escapeRegex', () => {
  it('yields a regex literal that matches exactly the original string, anchored', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (value, other) => {
        const query = renderLogql(
          logQuery({ matchers: [eq('log_type', 'access'), { label: 'namespace', op: '=~', regex: { anyOf: [value] } }] })
        );
        const parsed = parseLogql(query);
        expect(parsed.errors).toEqual([]);
        const decoded = parsed.strings.map(goUnquote)[1];
        expect(decoded).toBe(escapeRegex(value));
        const regex = new RegExp(`^(?:${decoded})$`, 'u');
        expect(regex.test(value)).toBe(true);
        if (other !== value) {
          expect(regex.test(other)).toBe(false);
        }
      }),
      RUNS
    );
  });

  it('escapes every RE2 metacharacter', () => {
    expect(escapeRegex('*+?()|\\.[]{}^$')).toBe('\\*\\+\\?\\(\\)\\|\\\\\\.\\[\\]\\{\\}\\^\\$');
    expect(escapeRegex('plain-name_1')).toBe('plain-name_1');
  });
});
