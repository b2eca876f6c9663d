/**
 * The template functions our shipper templates call, with the argument order and behaviour of
 * Go's builtins, sprig v3 and Promtail/Alloy's own additions (Promtail `template.go` merges
 * `sprig.TxtFuncMap()` with ToLower, TrimPrefix, regexReplaceAll, Hash, ...).
 */
import { createHash } from 'crypto';
import { compileGo, replaceAllGo } from './re2';

export type TemplateValue = string | number | boolean | string[] | undefined;

export class TemplateFunctionError extends Error {}

export function isTruthy(v: TemplateValue): boolean {
  if (v === undefined || v === false || v === '' || v === 0) {
    return false;
  }
  return !(Array.isArray(v) && v.length === 0);
}

/** fmt's %v for a float64: shortest digits, %e form when the exponent is < -4 or >= 6 (so 1e6 prints `1e+06`). */
export function goFormatFloat(x: number): string {
  if (!Number.isFinite(x)) {
    return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  }
  if (x === 0) {
    return '0';
  }
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(x);
}

export function formatValue(v: TemplateValue): string {
  if (v === undefined) {
    return '<no value>';
  }
  if (typeof v === 'number') {
    return goFormatFloat(v);
  }
  if (Array.isArray(v)) {
    return `[${v.join(' ')}]`;
  }
  return String(v);
}

function str(name: string, v: TemplateValue): string {
  if (typeof v !== 'string') {
    throw new TemplateFunctionError(`${name}: invalid value; expected string, got ${v === undefined ? 'no value' : typeof v}`);
  }
  return v;
}

/** spf13/cast ToFloat64 as sprig uses it: unparsable strings become 0. */
function toFloat(v: TemplateValue): number {
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v === 'string') {
    const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) ? Number(v.trim()) : NaN;
    return Number.isNaN(n) ? 0 : n;
  }
  return typeof v === 'boolean' ? (v ? 1 : 0) : 0;
}

/** Go encoding/json string encoding, HTML-safe as json.Marshal does by default. */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') {
      out += '\\' + ch;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else {
      out += ch;
    }
  }
  return out + '"';
}

function toJson(v: TemplateValue): string {
  if (v === undefined) {
    return 'null';
  }
  if (typeof v === 'string') {
    return goJsonString(v);
  }
  if (Array.isArray(v)) {
    return `[${v.map(goJsonString).join(',')}]`;
  }
  return typeof v === 'number' ? JSON.stringify(v) : String(v);
}

/**
 * A comparison that touches a missing key is a config error here: Go releases disagree on it
 * (older ones fail the Execute, newer ones compare it as unequal), so our templates must guard
 * such values with `(or .x "")` or an enclosing `and .x`.
 */
export class MissingComparisonError extends Error {}

function goEqual(name: string, a: TemplateValue, b: TemplateValue): boolean {
  if (a === undefined || b === undefined) {
    throw new MissingComparisonError(`${name} compares a missing value; guard it with (or .x "")`);
  }
  if (typeof a !== typeof b) {
    throw new TemplateFunctionError(`${name}: incompatible types for comparison`);
  }
  return a === b;
}

type Fn = (args: TemplateValue[]) => TemplateValue;

function arity(name: string, n: number, fn: Fn): Fn {
  return (args) => {
    if (args.length !== n) {
      throw new TemplateFunctionError(`wrong number of args for ${name}: want ${n} got ${args.length}`);
    }
    return fn(args);
  };
}

const FUNCTIONS: Record<string, Fn> = {
  // Go builtins
  eq: (args) => {
    if (args.length < 2) {
      throw new TemplateFunctionError('missing argument for comparison');
    }
    return args.slice(1).some((b) => goEqual('eq', args[0], b));
  },
  ne: arity('ne', 2, ([a, b]) => !goEqual('ne', a, b)),
  not: arity('not', 1, ([a]) => !isTruthy(a)),
  and: (args) => args.find((a) => !isTruthy(a)) ?? args[args.length - 1],
  or: (args) => args.find((a) => isTruthy(a)) ?? args[args.length - 1],
  len: arity('len', 1, ([a]) => {
    if (typeof a === 'string') {
      return Buffer.byteLength(a, 'utf8');
    }
    if (Array.isArray(a)) {
      return a.length;
    }
    throw new TemplateFunctionError('len of unsupported value');
  }),
  index: arity('index', 2, ([a, i]) => {
    if (!Array.isArray(a) || typeof i !== 'number') {
      throw new TemplateFunctionError('index: unsupported operands');
    }
    if (i < 0 || i >= a.length) {
      throw new TemplateFunctionError(`index out of range: ${i}`);
    }
    return a[i];
  }),
  // sprig
  hasPrefix: arity('hasPrefix', 2, ([p, s]) => str('hasPrefix', s).startsWith(str('hasPrefix', p))),
  hasSuffix: arity('hasSuffix', 2, ([p, s]) => str('hasSuffix', s).endsWith(str('hasSuffix', p))),
  contains: arity('contains', 2, ([sub, s]) => str('contains', s).includes(str('contains', sub))),
  trimPrefix: arity('trimPrefix', 2, ([p, s]) => {
    const v = str('trimPrefix', s);
    const pre = str('trimPrefix', p);
    return v.startsWith(pre) ? v.slice(pre.length) : v;
  }),
  splitList: arity('splitList', 2, ([sep, s]) => str('splitList', s).split(str('splitList', sep))),
  regexMatch: arity('regexMatch', 2, ([re, s]) => compileGo(str('regexMatch', re)).matcher(str('regexMatch', s)).find()),
  regexFind: arity('regexFind', 2, ([re, s]) => {
    const m = compileGo(str('regexFind', re)).matcher(str('regexFind', s));
    return m.find() ? (m.group(0) ?? '') : '';
  }),
  toJson: arity('toJson', 1, ([v]) => toJson(v)),
  // Go's builtin print is fmt.Sprint: operands as an action prints them, a space between two
  // operands only when neither is a string.
  print: (args) =>
    args.map((v, i) => (i > 0 && typeof v !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + formatValue(v)).join(''),
  regexFindAll: arity('regexFindAll', 3, ([re, s, n]) => {
    const m = compileGo(str('regexFindAll', re)).matcher(str('regexFindAll', s));
    const limit = typeof n === 'number' && n >= 0 ? n : Infinity;
    const found: string[] = [];
    while (found.length < limit && m.find()) {
      found.push(m.group(0) ?? '');
    }
    // Go's FindAllString returns nil for no match, which toJson prints as null.
    return found.length > 0 ? found : undefined;
  }),
  default: arity('default', 2, ([d, given]) => (isTruthy(given) ? given : d)),
  empty: arity('empty', 1, ([v]) => !isTruthy(v)),
  float64: arity('float64', 1, ([v]) => toFloat(v)),
  divf: (args) => {
    if (args.length < 2) {
      throw new TemplateFunctionError('divf needs two arguments');
    }
    return args.slice(1).reduce<number>((acc, v) => acc / toFloat(v), toFloat(args[0]));
  },
  // Promtail / Alloy additions (Go strings.* argument order: the subject first)
  ToLower: arity('ToLower', 1, ([s]) => str('ToLower', s).toLowerCase()),
  ToUpper: arity('ToUpper', 1, ([s]) => str('ToUpper', s).toUpperCase()),
  TrimSuffix: arity('TrimSuffix', 2, ([s, p]) => {
    const v = str('TrimSuffix', s);
    const suf = str('TrimSuffix', p);
    return suf !== '' && v.endsWith(suf) ? v.slice(0, v.length - suf.length) : v;
  }),
  TrimPrefix: arity('TrimPrefix', 2, ([s, p]) => {
    const v = str('TrimPrefix', s);
    const pre = str('TrimPrefix', p);
    return v.startsWith(pre) ? v.slice(pre.length) : v;
  }),
  regexReplaceAll: arity('regexReplaceAll', 3, ([re, s, repl]) =>
    replaceAllGo(str('regexReplaceAll', re), str('regexReplaceAll', s), str('regexReplaceAll', repl))
  ),
  regexReplaceAllLiteral: arity('regexReplaceAllLiteral', 3, ([re, s, repl]) =>
    replaceAllGo(str('regexReplaceAllLiteral', re), str('regexReplaceAllLiteral', s), str('regexReplaceAllLiteral', repl), true)
  ),
  Sha2Hash: arity('Sha2Hash', 2, ([salt, s]) =>
    createHash('sha256')
      .update(str('Sha2Hash', salt) + str('Sha2Hash', s))
      .digest('hex')
  ),
  Hash: arity('Hash', 2, ([salt, s]) =>
    createHash('sha3-256')
      .update(str('Hash', salt) + str('Hash', s))
      .digest('hex')
  ),
};

export function callFunction(name: string, args: TemplateValue[]): TemplateValue {
  const fn = FUNCTIONS[name];
  if (!fn) {
    throw new TemplateFunctionError(`function "${name}" not defined in the test evaluator`);
  }
  return fn(args);
}
