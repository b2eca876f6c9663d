/**
 * The JMESPath subset our json stages use, evaluated with JMESPath semantics: identifiers, quoted
 * identifiers (`"client.id"`), dotted sub-expressions, `@`, raw string literals (`'x'`),
 * `||` / `&&` (which return an operand, not a boolean), parentheses, and the functions
 * `keys(@)`, `contains(array, value)` and `type(@)`. Any other syntax throws, so a config that
 * starts using it fails the test instead of being evaluated wrongly.
 */
export class JmesPathSubsetError extends Error {}

type Node =
  | { kind: 'path'; keys: Array<string | number>; base?: Node }
  | { kind: 'current' }
  | { kind: 'literal'; value: string }
  | { kind: 'or' | 'and'; left: Node; right: Node }
  | { kind: 'call'; name: 'keys' | 'contains' | 'type'; args: Node[] };

type Tok = { t: 'ident' | 'quoted' | 'raw' | 'op' | 'index'; v: string };

function tokenize(expr: string): Tok[] {
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|("(?:[^"\\]|\\.)*")|('(?:[^'\\]|\\.)*')|(\|\||&&|[().,@])|\[(\d+)\])/y;
  const out: Tok[] = [];
  let pos = 0;
  while (pos < expr.length && expr.slice(pos).trim() !== '') {
    re.lastIndex = pos;
    const m = re.exec(expr);
    if (!m) {
      throw new JmesPathSubsetError(`unsupported JMESPath ${JSON.stringify(expr)} at ${pos}`);
    }
    pos = re.lastIndex;
    if (m[1]) {
      out.push({ t: 'ident', v: m[1] });
    } else if (m[2]) {
      out.push({ t: 'quoted', v: JSON.parse(m[2]) });
    } else if (m[3]) {
      out.push({ t: 'raw', v: m[3].slice(1, -1).replace(/\\'/g, "'") });
    } else if (m[4]) {
      out.push({ t: 'op', v: m[4] });
    } else {
      out.push({ t: 'index', v: m[5] });
    }
  }
  return out;
}

export function parseJmesPath(expr: string): Node {
  const toks = tokenize(expr);
  let i = 0;
  const peek = (v: string) => toks[i]?.t === 'op' && toks[i].v === v;
  const expect = (v: string) => {
    if (!peek(v)) {
      throw new JmesPathSubsetError(`expected ${v} in ${JSON.stringify(expr)}`);
    }
    i++;
  };
  function parseOr(): Node {
    let left = parseAnd();
    while (peek('||')) {
      i++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd(): Node {
    let left = parsePrimary();
    while (peek('&&')) {
      i++;
      left = { kind: 'and', left, right: parsePrimary() };
    }
    return left;
  }
  function parsePrimary(): Node {
    const tok = toks[i];
    if (!tok) {
      throw new JmesPathSubsetError(`unexpected end of ${JSON.stringify(expr)}`);
    }
    if (tok.t === 'op' && tok.v === '(') {
      i++;
      const inner = parseOr();
      expect(')');
      return peek('.') ? parsePath(inner) : inner;
    }
    if (tok.t === 'op' && tok.v === '@') {
      i++;
      return { kind: 'current' };
    }
    if (tok.t === 'raw') {
      i++;
      return { kind: 'literal', value: tok.v };
    }
    if (tok.t === 'ident' && toks[i + 1]?.t === 'op' && toks[i + 1].v === '(') {
      if (tok.v !== 'keys' && tok.v !== 'contains' && tok.v !== 'type') {
        throw new JmesPathSubsetError(`function ${tok.v} is not modelled`);
      }
      i += 2;
      const args: Node[] = [];
      while (!peek(')')) {
        args.push(parseOr());
        if (peek(',')) {
          i++;
        }
      }
      expect(')');
      return { kind: 'call', name: tok.v, args };
    }
    if (tok.t === 'ident' || tok.t === 'quoted') {
      return parsePath(undefined);
    }
    throw new JmesPathSubsetError(`unexpected ${tok.v} in ${JSON.stringify(expr)}`);
  }
  /** `a.b[0].c`, optionally continuing from a parenthesised expression: `(x || @).a`. */
  function parsePath(base: Node | undefined): Node {
    const keys: Array<string | number> = [];
    let first = base === undefined;
    for (;;) {
      if (!first) {
        if (toks[i]?.t === 'index') {
          keys.push(Number(toks[i].v));
          i++;
          continue;
        }
        if (!peek('.')) {
          break;
        }
        i++;
      }
      first = false;
      const next = toks[i];
      if (!next || (next.t !== 'ident' && next.t !== 'quoted')) {
        throw new JmesPathSubsetError(`bad sub-expression in ${JSON.stringify(expr)}`);
      }
      keys.push(next.v);
      i++;
    }
    return { kind: 'path', keys, base };
  }
  const node = parseOr();
  if (i !== toks.length) {
    throw new JmesPathSubsetError(`trailing input in ${JSON.stringify(expr)}`);
  }
  return node;
}

function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '') {
    return false;
  }
  if (Array.isArray(v)) {
    return v.length > 0;
  }
  return typeof v !== 'object' || Object.keys(v as object).length > 0;
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) {
    return 'null';
  }
  if (Array.isArray(v)) {
    return 'array';
  }
  return typeof v === 'object' ? 'object' : typeof v;
}

function evaluate(node: Node, data: unknown): unknown {
  switch (node.kind) {
    case 'current':
      return data;
    case 'literal':
      return node.value;
    case 'or': {
      const left = evaluate(node.left, data);
      return truthy(left) ? left : evaluate(node.right, data);
    }
    case 'and': {
      const left = evaluate(node.left, data);
      return truthy(left) ? evaluate(node.right, data) : left;
    }
    case 'path': {
      let cur: unknown = node.base ? evaluate(node.base, data) : data;
      for (const key of node.keys) {
        if (typeof key === 'number') {
          cur = Array.isArray(cur) && key < cur.length ? cur[key] : null;
          continue;
        }
        if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) {
          return null;
        }
        cur = Object.prototype.hasOwnProperty.call(cur, key) ? (cur as Record<string, unknown>)[key] : null;
      }
      return cur === undefined ? null : cur;
    }
    case 'call': {
      const args = node.args.map((a) => evaluate(a, data));
      if (node.name === 'keys') {
        if (args.length !== 1 || typeName(args[0]) !== 'object') {
          throw new JmesPathSubsetError('keys() expects one object');
        }
        return Object.keys(args[0] as object);
      }
      if (node.name === 'type') {
        return typeName(args[0]);
      }
      if (args.length !== 2 || !(Array.isArray(args[0]) || typeof args[0] === 'string')) {
        throw new JmesPathSubsetError('contains() expects an array or string and a value');
      }
      return Array.isArray(args[0]) ? args[0].includes(args[1]) : (args[0] as string).includes(String(args[1]));
    }
  }
}

/** Evaluates a JMESPath expression of the subset against parsed JSON. */
export function searchJmesPath(expr: string, data: unknown): unknown {
  return evaluate(parseJmesPath(expr), data);
}
