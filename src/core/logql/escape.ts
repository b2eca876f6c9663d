/**
 * Escaping of values into LogQL string literals and RE2 regexes.
 *
 * Loki unquotes double-quoted strings with Go rules (Prometheus `strutil.Unquote`), so the
 * output of `quoteString` is a Go interpreted string literal. Characters that Go would accept
 * raw are kept raw (readable queries); control and line-separator characters are escaped.
 *
 * Lone UTF-16 surrogates have no UTF-8 encoding and Go rejects `\uD800`, so they are REJECTED
 * with a LogqlError rather than replaced: replacing would silently match a different value.
 */
import { LogqlError } from './errors';

const NAMED_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};

// Backslash and quote, C0/C1 controls, DEL, line/paragraph separators, BOM, and any surrogate
// (paired surrogates are consumed whole by the 'u' flag, so a match here is a lone one).
const NEEDS_ESCAPE = /[\\"\p{Cc}\u2028\u2029\uFEFF]|\p{Cs}/gu;

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}

function escapeChar(ch: string, value: string, index: number): string {
  const named = NAMED_ESCAPES[ch];
  if (named) {
    return named;
  }
  const code = ch.codePointAt(0)!;
  if (code >= 0xd800 && code <= 0xdfff) {
    throw new LogqlError(
      `value ${JSON.stringify(value.slice(0, 40))} contains a lone UTF-16 surrogate (U+${hex(code, 4)}) at index ${index}; it has no UTF-8 form and cannot appear in a LogQL string`
    );
  }
  // \xNN is a raw byte in Go, so it is only a character below 0x80.
  return code < 0x80 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

/** Go-escape the body of a double-quoted string literal (without the quotes). */
export function escapeStringBody(value: string): string {
  return value.replace(NEEDS_ESCAPE, (ch, index: number) => escapeChar(ch, value, index));
}

/** A double-quoted LogQL string literal that decodes (Go unquote) to exactly `value`. */
export function quoteString(value: string): string {
  return `"${escapeStringBody(value)}"`;
}

// RE2 metacharacters, as escaped by Go's regexp.QuoteMeta.
const RE2_META = /[*+?()|\\.[\]{}^$]/g;

/** An RE2 pattern that matches exactly the literal `value` (not yet string-quoted). */
export function escapeRegex(value: string): string {
  return value.replace(RE2_META, (ch) => `\\${ch}`);
}

/** An RE2 alternation of literals: `a|b\.c`. An empty list is an error (it would match nothing). */
export function literalAlternation(values: readonly string[]): string {
  if (values.length === 0) {
    throw new LogqlError('a regex alternation needs at least one value');
  }
  return values.map(escapeRegex).join('|');
}
