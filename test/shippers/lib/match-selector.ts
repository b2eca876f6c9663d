/**
 * The `match` stage selector: a LogQL stream selector plus optional line filters, evaluated
 * against the entry's labels and line as Promtail's matcherStage does (label regexes are fully
 * anchored like Prometheus matchers; line-filter regexes are not).
 */
import { matchesGo } from './re2';

type LabelMatcher = { name: string; op: '=' | '!=' | '=~' | '!~'; value: string };
type LineFilter = { op: '|=' | '!=' | '|~' | '!~'; value: string };
export interface Selector {
  matchers: LabelMatcher[];
  filters: LineFilter[];
}

export class SelectorError extends Error {}

const STRING = String.raw`("(?:[^"\\]|\\.)*"|` + '`[^`]*`)';

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };

/**
 * A LogQL string literal as Loki's lexer reads it (Go's text/scanner, then strconv.Unquote): a
 * backtick string is raw; a double-quoted one takes Go's escapes only, and any other backslash
 * sequence (`\s`, `\{`) is "invalid char escape", as Promtail reports when it loads the selector.
 */
export function unquoteGo(lit: string): string {
  if (lit.startsWith('`')) {
    return lit.slice(1, -1);
  }
  const body = lit.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\n') {
      throw new SelectorError(`literal not terminated: ${lit}`);
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      continue;
    }
    const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : /[0-7]/.test(e ?? '') ? 3 : 0;
    const code = e === 'x' || e === 'u' || e === 'U' ? body.slice(i + 1, i + 1 + digits) : body.slice(i, i + digits);
    const ok = digits > 0 && (/[0-7]/.test(e) ? /^[0-7]{3}$/.test(code) : new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(code));
    if (!ok) {
      throw new SelectorError(`invalid char escape in ${lit}`);
    }
    out += String.fromCodePoint(Number.parseInt(code, /[0-7]/.test(e) ? 8 : 16));
    i += /[0-7]/.test(e) ? digits - 1 : digits;
  }
  return out;
}

export function parseSelector(text: string): Selector {
  const whole = new RegExp(String.raw`^\s*\{([^}]*)\}\s*(.*)$`, 's').exec(text);
  if (!whole) {
    throw new SelectorError(`not a stream selector: ${text}`);
  }
  const matchers: LabelMatcher[] = [];
  const mRe = new RegExp(String.raw`\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*${STRING}\s*(,|$)`, 'y');
  let pos = 0;
  const body = whole[1];
  while (pos < body.length && body.slice(pos).trim() !== '') {
    mRe.lastIndex = pos;
    const m = mRe.exec(body);
    if (!m) {
      throw new SelectorError(`bad label matcher in ${text}`);
    }
    matchers.push({ name: m[1], op: m[2] as LabelMatcher['op'], value: unquoteGo(m[3]) });
    pos = mRe.lastIndex;
  }
  if (matchers.length === 0) {
    throw new SelectorError(`selector needs at least one matcher: ${text}`);
  }
  const filters: LineFilter[] = [];
  const fRe = new RegExp(String.raw`\s*(\|=|!=|\|~|!~)\s*${STRING}`, 'y');
  pos = 0;
  const rest = whole[2];
  while (pos < rest.length && rest.slice(pos).trim() !== '') {
    fRe.lastIndex = pos;
    const m = fRe.exec(rest);
    if (!m) {
      throw new SelectorError(`unsupported selector pipeline in ${text}`);
    }
    filters.push({ op: m[1] as LineFilter['op'], value: unquoteGo(m[2]) });
    pos = fRe.lastIndex;
  }
  return { matchers, filters };
}

export function selectorMatches(sel: Selector, labels: Record<string, string>, line: string): boolean {
  for (const m of sel.matchers) {
    const v = labels[m.name] ?? '';
    const ok =
      m.op === '=' ? v === m.value : m.op === '!=' ? v !== m.value : matchesGo(`^(?:${m.value})$`, v) === (m.op === '=~');
    if (!ok) {
      return false;
    }
  }
  for (const f of sel.filters) {
    const ok =
      f.op === '|=' ? line.includes(f.value) : f.op === '!=' ? !line.includes(f.value) : matchesGo(f.value, line) === (f.op === '|~');
    if (!ok) {
      return false;
    }
  }
  return true;
}
