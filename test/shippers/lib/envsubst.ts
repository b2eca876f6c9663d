/**
 * Promtail's `-config.expand-env=true`: the whole file goes through github.com/drone/envsubst
 * (v1.0.3, pkg/util/cfg/files.go in Loki) before YAML parsing. This is a port of its scanner and
 * parser, so the tests read our configs exactly as Promtail does: `${VAR}` and its bash-style
 * functions expand, `$$` becomes `$`, a backslash before `\` or `/` is dropped, and a `${` that is
 * no valid substitution is an error.
 */

export class EnvsubstError extends Error {}

type Node = { text: string } | { param: string; name: string; args: Node[] } | { list: Node[] };

const SCAN_IDENT = 1;
const SCAN_LBRACK = 2;
const SCAN_RBRACK = 4;
const SCAN_ESCAPE = 8;

type Token = 'illegal' | 'eof' | 'ident' | 'lbrack' | 'rbrack';
type Accept = (r: string, i: number) => boolean;

const isIdentRune = (r: string) => /^[\p{L}\p{N}_]$/u.test(r);
const acceptRune: Accept = () => true;
const acceptIdent: Accept = (r) => isIdentRune(r);
const acceptColon: Accept = (r) => r === ':';
const acceptOneHash: Accept = (r, i) => r === '#' && i === 1;
const acceptNotClosing: Accept = (r) => r !== '}';
const acceptHashFunc: Accept = (r, i) => r === '#' && i < 3;
const acceptPercentFunc: Accept = (r, i) => r === '%' && i < 3;
const acceptDefaultFunc: Accept = (r, i) => (i === 1 && r === ':') || (i === 2 && '=-?+'.includes(r));
const acceptReplaceFunc: Accept = (r, i) => (i === 1 && r === '/') || (i === 2 && '/#%'.includes(r));
const acceptOneEqual: Accept = (r, i) => i === 1 && r === '=';
const acceptOneColon: Accept = (r, i) => i === 1 && r === ':';
const rejectColonClose: Accept = (r) => r !== ':' && r !== '}';
const acceptSlash: Accept = (r) => r === '/';
const acceptNotSlash: Accept = (r) => r !== '/';
const acceptCasingFunc: Accept = (r, i) => (r === ',' || r === '^') && i < 3;

/** The scanner works on UTF-16 code units; our configs are ASCII where it matters (`$`, `\`, braces). */
class Scanner {
  pos = 0;
  start = 0;
  width = 0;
  mode = 0;
  accept: Accept = acceptRune;
  constructor(public buf: string) {}

  read(): string {
    if (this.pos >= this.buf.length) {
      this.width = 0;
      return '';
    }
    this.width = 1;
    return this.buf[this.pos++];
  }
  unread(): void {
    this.pos -= this.width;
  }
  /** Drops the rune just read (the escape character) from the buffer. */
  skip(): void {
    this.buf = this.buf.slice(0, this.pos - 1) + this.buf.slice(this.pos);
  }
  peek(): string {
    const r = this.read();
    this.unread();
    return r;
  }
  string(): string {
    return this.buf.slice(this.start, this.pos);
  }
  scan(): Token {
    this.start = this.pos;
    const r = this.read();
    if (r === '') {
      return 'eof';
    }
    if (this.scanLbrack(r)) {
      return 'lbrack';
    }
    if (this.scanRbrack(r)) {
      return 'rbrack';
    }
    if (this.scanIdent(r)) {
      return 'ident';
    }
    return 'illegal';
  }
  scanIdent(r: string): boolean {
    if ((this.mode & SCAN_IDENT) === 0) {
      return false;
    }
    if (this.scanEscaped(r)) {
      this.skip();
    } else if (!this.accept(r, this.pos - this.start)) {
      return false;
    }
    for (;;) {
      const c = this.read();
      if (c === '') {
        this.unread();
        break;
      }
      if (this.scanLbrack(c)) {
        this.unread();
        this.unread();
        break;
      }
      if (this.scanEscaped(c)) {
        this.skip();
        continue;
      }
      if (!this.accept(c, this.pos - this.start)) {
        this.unread();
        break;
      }
    }
    return true;
  }
  scanLbrack(r: string): boolean {
    if ((this.mode & SCAN_LBRACK) === 0) {
      return false;
    }
    if (r === '$') {
      if (this.read() === '{') {
        return true;
      }
      this.unread();
    }
    return false;
  }
  scanRbrack(r: string): boolean {
    return (this.mode & SCAN_RBRACK) !== 0 && r === '}';
  }
  scanEscaped(r: string): boolean {
    if ((this.mode & SCAN_ESCAPE) === 0) {
      return false;
    }
    if (r === '$' && this.peek() === '$') {
      return true;
    }
    return r === '\\' && (this.peek() === '/' || this.peek() === '\\');
  }
}

class Parser {
  s: Scanner;
  constructor(buf: string) {
    this.s = new Scanner(buf);
  }
  fail(what: string): never {
    throw new EnvsubstError(what);
  }
  parseAny(): Node {
    const nodes: Node[] = [];
    for (;;) {
      this.s.accept = acceptRune;
      this.s.mode = SCAN_IDENT | SCAN_LBRACK | SCAN_ESCAPE;
      const t = this.s.scan();
      if (t === 'ident') {
        nodes.push({ text: this.s.string() });
      } else if (t === 'lbrack') {
        nodes.push(this.parseFunc());
      } else if (t === 'eof') {
        return { list: nodes };
      } else {
        this.fail('bad substitution');
      }
    }
  }
  parseFunc(): Node {
    if (this.s.peek() === '#') {
      return this.parseLenFunc();
    }
    this.s.accept = acceptIdent;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== 'ident') {
      this.fail('unable to parse variable name');
    }
    const name = this.s.string();
    switch (this.s.peek()) {
      case ':':
        return this.parseDefaultOrSubstr(name);
      case '=':
        return this.parseDefaultFunc(name);
      case ',':
      case '^':
        return this.parseSimpleFunc(name, acceptCasingFunc, false);
      case '/':
        return this.parseReplaceFunc(name);
      case '#':
        return this.parseSimpleFunc(name, acceptHashFunc, true);
      case '%':
        return this.parseSimpleFunc(name, acceptPercentFunc, true);
    }
    this.s.accept = acceptIdent;
    this.s.mode = SCAN_RBRACK;
    if (this.s.scan() !== 'rbrack') {
      this.fail('missing closing brace');
    }
    return { param: name, name: '', args: [] };
  }
  parseParam(accept: Accept, mode: number): Node {
    this.s.accept = accept;
    this.s.mode = mode | SCAN_LBRACK;
    const t = this.s.scan();
    if (t === 'lbrack') {
      return this.parseFunc();
    }
    if (t === 'ident' || t === 'rbrack') {
      return { text: this.s.string() };
    }
    return this.fail('unable to parse substitution within function');
  }
  parseDefaultOrSubstr(name: string): Node {
    this.s.read();
    const r = this.s.peek();
    this.s.unread();
    return '=-?+'.includes(r) && r !== '' ? this.parseDefaultFunc(name) : this.parseSubstrFunc(name);
  }
  parseSubstrFunc(param: string): Node {
    this.s.accept = acceptOneColon;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== 'ident') {
      this.fail('bad substitution');
    }
    const node = { param, name: this.s.string(), args: [this.parseParam(rejectColonClose, SCAN_IDENT)] };
    this.s.accept = acceptColon;
    this.s.mode = SCAN_IDENT | SCAN_RBRACK;
    const t = this.s.scan();
    if (t === 'rbrack') {
      return node;
    }
    if (t !== 'ident') {
      this.fail('bad substitution');
    }
    node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    this.consumeRbrack();
    return node;
  }
  /** Casing (`,` `^`) and removal (`#` `%`) functions: an operator, then one argument for removal. */
  parseSimpleFunc(param: string, accept: Accept, withArg: boolean): Node {
    this.s.accept = accept;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== 'ident') {
      this.fail('bad substitution');
    }
    const node = { param, name: this.s.string(), args: withArg ? [this.parseParam(acceptNotClosing, SCAN_IDENT)] : [] };
    this.consumeRbrack();
    return node;
  }
  parseReplaceFunc(param: string): Node {
    this.s.accept = acceptReplaceFunc;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== 'ident') {
      this.fail('bad substitution');
    }
    const node = { param, name: this.s.string(), args: [this.parseParam(acceptNotSlash, SCAN_IDENT | SCAN_ESCAPE)] };
    this.s.accept = acceptSlash;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== 'ident') {
      this.fail('bad substitution');
    }
    if (this.s.peek() !== '}') {
      node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT | SCAN_ESCAPE));
    }
    this.consumeRbrack();
    return node;
  }
  parseDefaultFunc(param: string): Node {
    this.s.accept = this.s.peek() === '=' ? acceptOneEqual : acceptDefaultFunc;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== 'ident') {
      this.fail('unable to parse default function');
    }
    const node = { param, name: this.s.string(), args: [] as Node[] };
    while (this.s.peek() !== '}') {
      node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    }
    this.consumeRbrack();
    return node;
  }
  parseLenFunc(): Node {
    this.s.accept = acceptOneHash;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== 'ident') {
      this.fail('bad substitution');
    }
    const name = this.s.string();
    this.s.accept = acceptIdent;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== 'ident') {
      this.fail('bad substitution');
    }
    const node = { param: this.s.string(), name, args: [] };
    this.consumeRbrack();
    return node;
  }
  consumeRbrack(): void {
    this.s.mode = SCAN_RBRACK;
    if (this.s.scan() !== 'rbrack') {
      this.fail('bad substitution');
    }
  }
}

function substr(s: string, args: string[]): string {
  let pos = Number.parseInt(args[0], 10);
  if (!/^[+-]?\d+$/.test(args[0])) {
    return s;
  }
  if (pos < 0) {
    pos = Math.max(0, s.length + pos);
  }
  if (args.length === 1) {
    return pos < s.length ? s.slice(pos) : '';
  }
  if (!/^[+-]?\d+$/.test(args[1])) {
    return s;
  }
  const length = Number.parseInt(args[1], 10);
  return pos + length >= s.length ? (pos < s.length ? s.slice(pos) : '') : s.slice(pos, pos + length);
}

function apply(name: string, v: string, args: string[]): string {
  switch (name) {
    case ',':
      return v.slice(0, 1).toLowerCase() + v.slice(1);
    case ',,':
      return v.toLowerCase();
    case '^':
      return v.slice(0, 1).toUpperCase() + v.slice(1);
    case '^^':
      return v.toUpperCase();
    case '#':
      if (args.length === 0) {
        return String(v.length);
      }
      break;
    case ':':
      return substr(v, args);
    case '/':
    case '//':
      return args.length === 0 ? v : name === '/' ? v.replace(args[0], args[1] ?? '') : v.split(args[0]).join(args[1] ?? '');
    case '/#':
      return args.length > 0 && v.startsWith(args[0]) ? (args[1] ?? '') + v.slice(args[0].length) : v;
    case '/%':
      return args.length > 0 && v.endsWith(args[0]) ? v.slice(0, v.length - args[0].length) + (args[1] ?? '') : v;
  }
  if (['#', '##', '%', '%%'].includes(name)) {
    // Shell-pattern trimming (path.Match): our configs never use it, so say so instead of guessing.
    throw new EnvsubstError(`\${…${name}…} pattern trimming is not modelled`);
  }
  // `=`, `:=`, `:-`, `:?`, `:+`, `-`, `+` and a plain `${VAR}` all substitute the default when empty.
  return v === '' && args.length > 0 ? args.join('') : v;
}

function evaluate(node: Node, env: Record<string, string | undefined>): string {
  if ('text' in node) {
    return node.text;
  }
  if ('list' in node) {
    return node.list.map((n) => evaluate(n, env)).join('');
  }
  return apply(
    node.name,
    env[node.param] ?? '',
    node.args.map((a) => evaluate(a, env))
  );
}

/** envsubst.Eval(text, env lookup): unset variables are empty, as with os.Getenv. */
export function expandEnv(text: string, env: Record<string, string | undefined>): string {
  return evaluate(new Parser(text).parseAny(), env);
}
