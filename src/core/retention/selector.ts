/**
 * Reading the stream selectors of Loki's `retention_stream` rules and matching them against a
 * stream's labels, the way Loki's compactor does (pkg/compactor/retention/expiration.go: every
 * matcher of the rule must match the label's value, "" when the stream lacks the label).
 *
 * Only selectors come in here (`{a="b", c=~"d"}`), never a pipeline: a rule with anything else is
 * rejected with the selector quoted, so a config Mesh Audit cannot read is never guessed at.
 */
export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface SelectorMatcher {
  label: string;
  op: MatchOp;
  value: string;
}

export class SelectorParseError extends Error {
  constructor(
    readonly selector: string,
    problem: string
  ) {
    super(`Cannot read the stream selector ${JSON.stringify(selector)}: ${problem}.`);
    this.name = 'SelectorParseError';
  }
}

const LABEL = /[A-Za-z_][A-Za-z0-9_]*/y;
const OP = /=~|!~|!=|=/y;
const SPACE = /\s*/y;

/** The matchers of a stream selector; throws SelectorParseError naming what is wrong. */
export function parseSelector(text: string): SelectorMatcher[] {
  let pos = 0;
  const fail = (problem: string): never => {
    throw new SelectorParseError(text, `${problem} at offset ${pos}`);
  };
  const skip = () => {
    SPACE.lastIndex = pos;
    SPACE.exec(text);
    pos = SPACE.lastIndex;
  };
  const take = (re: RegExp): string | null => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) {
      return null;
    }
    pos = re.lastIndex;
    return m[0];
  };
  skip();
  if (text[pos] !== '{') {
    fail('expected "{"');
  }
  pos++;
  const matchers: SelectorMatcher[] = [];
  for (;;) {
    skip();
    if (text[pos] === '}' && matchers.length === 0) {
      pos++;
      break;
    }
    const label = take(LABEL) ?? fail('expected a label name');
    skip();
    const op = (take(OP) ?? fail(`expected =, !=, =~ or !~ after ${label}`)) as MatchOp;
    skip();
    const value = readString(text, pos, fail);
    pos = value.end;
    matchers.push({ label, op, value: value.text });
    skip();
    if (text[pos] === ',') {
      pos++;
      continue;
    }
    if (text[pos] === '}') {
      pos++;
      break;
    }
    fail('expected "," or "}"');
  }
  skip();
  if (pos !== text.length) {
    fail('unexpected text after the selector (a retention rule takes a selector only, no pipeline)');
  }
  if (matchers.length === 0) {
    throw new SelectorParseError(text, 'it has no matcher');
  }
  for (const m of matchers) {
    if (m.op === '=~' || m.op === '!~') {
      compileAnchored(m.value, text);
    }
  }
  return matchers;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** A Go string literal: "..." with escapes, or `...` raw. */
function readString(text: string, start: number, fail: (problem: string) => never): { text: string; end: number } {
  const quote = text[start];
  if (quote === '`') {
    const close = text.indexOf('`', start + 1);
    return close < 0 ? fail('unterminated raw string') : { text: text.slice(start + 1, close), end: close + 1 };
  }
  if (quote !== '"') {
    return fail('expected a quoted value');
  }
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      return { text: out, end: i + 1 };
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[++i];
    if (e !== undefined && Object.hasOwn(SIMPLE_ESCAPES, e)) {
      out += SIMPLE_ESCAPES[e];
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = text.slice(i + 1, i + 1 + digits);
      if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) {
        fail(`bad \\${e} escape`);
      }
      out += String.fromCodePoint(parseInt(hex, 16));
      i += digits;
    } else {
      fail(`unknown escape \\${e ?? ''}`);
    }
  }
  return fail('unterminated string');
}

/**
 * Loki anchors label regexes at both ends. JS and RE2 agree on the syntax selectors use in
 * practice; a pattern JS cannot compile is reported rather than matched approximately.
 */
function compileAnchored(pattern: string, selector: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    throw new SelectorParseError(
      selector,
      `the regex ${JSON.stringify(pattern)} is not one Mesh Audit can evaluate (${(error as Error).message})`
    );
  }
}

const compiled = new Map<string, RegExp>();

export function matcherMatches(m: SelectorMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    default: {
      let re = compiled.get(m.value);
      if (!re) {
        re = compileAnchored(m.value, m.value);
        compiled.set(m.value, re);
      }
      return re.test(value) === (m.op === '=~');
    }
  }
}

export function selectorMatches(
  matchers: readonly SelectorMatcher[],
  labels: Readonly<Record<string, string>>
): boolean {
  return matchers.every((m) => matcherMatches(m, Object.hasOwn(labels, m.label) ? labels[m.label] : ''));
}
