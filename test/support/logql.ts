/**
 * Test support shared by the LogQL, query-builder and CLI tests: a strict Go-unquote decoder
 * (Loki's rules for double-quoted strings) and helpers that read string literals back out of
 * lezer-logql's parse tree. Not used at runtime.
 */
import { parser } from '@grafana/lezer-logql';

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };

/** Decode a Go double-quoted (or backtick raw) string literal exactly as Go's strconv.Unquote does. */
export function goUnquote(literal: string): string {
  if (literal.length >= 2 && literal.startsWith('`') && literal.endsWith('`')) {
    const body = literal.slice(1, -1);
    if (body.includes('`')) {
      throw new Error('backtick inside raw string');
    }
    return body;
  }
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) {
    throw new Error(`not a quoted string: ${literal}`);
  }
  const body = literal.slice(1, -1);
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  const chars = Array.from(body);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '"' || ch === '\n') {
      throw new Error(`unescaped ${JSON.stringify(ch)} inside string literal`);
    }
    if (ch !== '\\') {
      if (/\p{Cs}/u.test(ch)) {
        throw new Error('lone surrogate in literal (invalid UTF-8)');
      }
      bytes.push(...encoder.encode(ch));
      continue;
    }
    const esc = chars[++i];
    if (esc === undefined) {
      throw new Error('trailing backslash');
    }
    if (esc in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[esc]);
    } else if (esc === 'x' || esc === 'u' || esc === 'U') {
      const width = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
      const digits = chars.slice(i + 1, i + 1 + width).join('');
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(digits)) {
        throw new Error(`bad \\${esc} escape`);
      }
      i += width;
      const code = parseInt(digits, 16);
      if (esc === 'x') {
        bytes.push(code);
      } else {
        if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) {
          throw new Error(`invalid code point in \\${esc} escape`);
        }
        bytes.push(...encoder.encode(String.fromCodePoint(code)));
      }
    } else if (/[0-7]/.test(esc)) {
      const digits = chars.slice(i, i + 3).join('');
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) {
        throw new Error('bad octal escape');
      }
      i += 2;
      bytes.push(parseInt(digits, 8));
    } else {
      throw new Error(`invalid char escape \\${esc}`);
    }
  }
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes));
}

export interface ParsedLogql {
  errors: number[];
  /** Node names in document order (the query's structure). */
  nodes: string[];
  /** Text of every String node in document order. */
  strings: string[];
}

export function parseLogql(text: string): ParsedLogql {
  const result: ParsedLogql = { errors: [], nodes: [], strings: [] };
  parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isError) {
        result.errors.push(node.from);
      }
      result.nodes.push(node.name);
      if (node.name === 'String') {
        result.strings.push(text.slice(node.from, node.to));
      }
    },
  });
  return result;
}

/** Decoded values of all string literals in a query. Throws if a literal is not valid Go. */
export function decodedStrings(text: string): string[] {
  return parseLogql(text).strings.map(goUnquote);
}
