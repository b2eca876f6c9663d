/**
 * A faithful evaluator for the subset of Go text/template that our Promtail and Alloy
 * `template` / `replace` stages use, so the tests can run those templates without the shippers.
 *
 * Supported: text, `{{ pipeline }}`, `{{- ... -}}` trimming, `if / else if / else / end`,
 * pipelines with `|`, parenthesised sub-pipelines, `.Field` lookups on a flat map of strings,
 * string / raw-string / number / bool literals, variables (`{{ $x := p }}` declares in the
 * current block, `{{ $x = p }}` assigns the nearest declared one; a block's variables end at its
 * `end`, as in Go), and the functions in ./template-functions.
 * Anything else is a parse error, so a template that uses a construct we do not model fails
 * the test instead of being silently mis-evaluated.
 *
 * Go semantics kept on purpose: a missing map key prints as `<no value>`, is falsy in `if`,
 * and makes a function with a string parameter fail (the stage then leaves its value alone).
 */
import { callFunction, type TemplateValue, formatValue, isTruthy } from './template-functions';

type Operand =
  | { kind: 'field'; path: string[] }
  | { kind: 'dot' }
  | { kind: 'literal'; value: TemplateValue }
  | { kind: 'ident'; name: string }
  | { kind: 'var'; name: string }
  | { kind: 'group'; pipeline: Pipeline };
type Command = Operand[];
type Pipeline = Command[];

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipeline: Pipeline }
  | { kind: 'set'; declare: boolean; name: string; pipeline: Pipeline }
  | { kind: 'if'; branches: Array<{ cond: Pipeline; body: Node[] }>; otherwise: Node[] };

export class TemplateError extends Error {}

interface RawAction {
  text: string;
  trimLeft: boolean;
  trimRight: boolean;
}

function split(source: string): Array<string | RawAction> {
  const parts: Array<string | RawAction> = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      parts.push(source.slice(i));
      break;
    }
    parts.push(source.slice(i, open));
    const close = findClose(source, open + 2);
    let inner = source.slice(open + 2, close);
    const trimLeft = /^-\s/.test(inner);
    const trimRight = /\s-$/.test(inner);
    if (trimLeft) {
      inner = inner.slice(1);
    }
    if (trimRight) {
      inner = inner.slice(0, -1);
    }
    parts.push({ text: inner.trim(), trimLeft, trimRight });
    i = close + 2;
  }
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if (typeof p === 'string') {
      continue;
    }
    if (p.trimLeft && typeof parts[k - 1] === 'string') {
      parts[k - 1] = (parts[k - 1] as string).replace(/\s+$/, '');
    }
    if (p.trimRight && typeof parts[k + 1] === 'string') {
      parts[k + 1] = (parts[k + 1] as string).replace(/^\s+/, '');
    }
  }
  return parts;
}

/** The `}}` that closes an action, skipping string literals that may contain `}}`. */
function findClose(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    const c = source[i];
    if (c === '"') {
      i++;
      while (i < source.length && source[i] !== '"') {
        i += source[i] === '\\' ? 2 : 1;
      }
    } else if (c === '`') {
      i = source.indexOf('`', i + 1);
      if (i < 0) {
        break;
      }
    } else if (c === '}' && source[i + 1] === '}') {
      return i;
    }
    i++;
  }
  throw new TemplateError('unclosed action');
}

type Token = { t: '(' } | { t: ')' } | { t: '|' } | { t: 'operand'; op: Operand };

function unquoteGo(lit: string): string {
  // Go interpreted string literals: the escapes we accept are the ones JSON also has.
  try {
    return JSON.parse(lit.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1'));
  } catch {
    throw new TemplateError(`bad string literal ${lit}`);
  }
}

function tokenize(action: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\()|(\))|(\|)|("(?:[^"\\]|\\.)*")|(`[^`]*`)|((?:\.[A-Za-z_][A-Za-z0-9_]*)+)|(\.)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*))/y;
  let pos = 0;
  while (pos < action.length) {
    if (/^\s*$/.test(action.slice(pos))) {
      break;
    }
    re.lastIndex = pos;
    const m = re.exec(action);
    if (!m) {
      throw new TemplateError(`unsupported template syntax at ${JSON.stringify(action.slice(pos))}`);
    }
    pos = re.lastIndex;
    if (m[1]) {
      tokens.push({ t: '(' });
    } else if (m[2]) {
      tokens.push({ t: ')' });
    } else if (m[3]) {
      tokens.push({ t: '|' });
    } else if (m[4]) {
      tokens.push({ t: 'operand', op: { kind: 'literal', value: unquoteGo(m[4]) } });
    } else if (m[5]) {
      tokens.push({ t: 'operand', op: { kind: 'literal', value: m[5].slice(1, -1) } });
    } else if (m[6]) {
      tokens.push({ t: 'operand', op: { kind: 'field', path: m[6].slice(1).split('.') } });
    } else if (m[7]) {
      tokens.push({ t: 'operand', op: { kind: 'dot' } });
    } else if (m[8]) {
      tokens.push({ t: 'operand', op: { kind: 'literal', value: Number(m[8]) } });
    } else if (m[10]) {
      tokens.push({ t: 'operand', op: { kind: 'var', name: m[10] } });
    } else if (m[9] === 'true' || m[9] === 'false') {
      tokens.push({ t: 'operand', op: { kind: 'literal', value: m[9] === 'true' } });
    } else {
      tokens.push({ t: 'operand', op: { kind: 'ident', name: m[9] } });
    }
  }
  return tokens;
}

function parsePipeline(tokens: Token[], start: number, closing: boolean): [Pipeline, number] {
  const pipeline: Pipeline = [];
  let command: Command = [];
  let i = start;
  for (; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.t === '(') {
      const [inner, next] = parsePipeline(tokens, i + 1, true);
      command.push({ kind: 'group', pipeline: inner });
      i = next;
    } else if (tok.t === ')') {
      if (!closing) {
        throw new TemplateError('unexpected )');
      }
      break;
    } else if (tok.t === '|') {
      if (command.length === 0) {
        throw new TemplateError('empty command in pipeline');
      }
      pipeline.push(command);
      command = [];
    } else {
      command.push(tok.op);
    }
  }
  if (closing && i >= tokens.length) {
    throw new TemplateError('unclosed (');
  }
  if (command.length === 0) {
    throw new TemplateError('empty pipeline');
  }
  pipeline.push(command);
  return [pipeline, i];
}

function parseActionPipeline(text: string): Pipeline {
  return parsePipeline(tokenize(text), 0, false)[0];
}

/** Parses a template into a tree; throws TemplateError on anything outside the subset. */
export function parseTemplate(source: string): Node[] {
  const parts = split(source);
  let index = 0;
  function parseList(stopAt: Array<'else' | 'end'>): [Node[], string] {
    const nodes: Node[] = [];
    while (index < parts.length) {
      const part = parts[index++];
      if (typeof part === 'string') {
        if (part) {
          nodes.push({ kind: 'text', text: part });
        }
        continue;
      }
      const word = part.text.split(/\s+/)[0];
      if (word === 'end' || word === 'else') {
        if (!stopAt.includes(word)) {
          throw new TemplateError(`unexpected {{${part.text}}}`);
        }
        return [nodes, part.text];
      }
      if (word === 'if') {
        nodes.push(parseIf(part.text.slice(2)));
        continue;
      }
      if (['range', 'with', 'define', 'template', 'block'].includes(word) || part.text.startsWith('/*')) {
        throw new TemplateError(`unsupported action {{${part.text}}}`);
      }
      const set = /^\$([A-Za-z_][A-Za-z0-9_]*)\s*(:=|=)\s*([\s\S]+)$/.exec(part.text);
      if (set) {
        nodes.push({ kind: 'set', declare: set[2] === ':=', name: set[1], pipeline: parseActionPipeline(set[3]) });
        continue;
      }
      nodes.push({ kind: 'action', pipeline: parseActionPipeline(part.text) });
    }
    if (stopAt.length > 0) {
      throw new TemplateError('missing {{end}}');
    }
    return [nodes, ''];
  }
  function parseIf(condText: string): Node {
    const branches: Array<{ cond: Pipeline; body: Node[] }> = [];
    let cond = parseActionPipeline(condText);
    for (;;) {
      const [body, stop] = parseList(['else', 'end']);
      branches.push({ cond, body });
      if (stop === 'end') {
        return { kind: 'if', branches, otherwise: [] };
      }
      const rest = stop.slice(4).trim();
      if (rest.startsWith('if ')) {
        cond = parseActionPipeline(rest.slice(3));
        continue;
      }
      const [otherwise, endStop] = parseList(['end']);
      if (endStop !== 'end') {
        throw new TemplateError('else without end');
      }
      return { kind: 'if', branches, otherwise };
    }
  }
  return parseList([])[0];
}

export type TemplateData = Record<string, string>;

/** Variable frames, innermost last: one per executing block. */
type Scope = Array<Map<string, TemplateValue>>;

function lookup(scope: Scope, name: string): Map<string, TemplateValue> {
  for (let i = scope.length - 1; i >= 0; i--) {
    if (scope[i].has(name)) {
      return scope[i];
    }
  }
  throw new TemplateError(`undefined variable: $${name}`);
}

function evalOperand(op: Operand, data: TemplateData, scope: Scope): TemplateValue {
  switch (op.kind) {
    case 'var':
      return lookup(scope, op.name).get(op.name);
    case 'literal':
      return op.value;
    case 'dot':
      throw new TemplateError('bare {{.}} is not used by our templates');
    case 'field': {
      if (op.path.length > 1) {
        throw new TemplateError(`nested field .${op.path.join('.')} on a string`);
      }
      return Object.prototype.hasOwnProperty.call(data, op.path[0]) ? data[op.path[0]] : undefined;
    }
    case 'group':
      return evalPipeline(op.pipeline, data, scope);
    case 'ident':
      return callFunction(op.name, []);
  }
}

function evalPipeline(pipeline: Pipeline, data: TemplateData, scope: Scope): TemplateValue {
  let piped: TemplateValue | typeof NOTHING = NOTHING;
  for (const command of pipeline) {
    const [head, ...rest] = command;
    if (head.kind === 'ident') {
      // `and` / `or` short-circuit in Go >= 1.18: arguments after the deciding one are not evaluated.
      if ((head.name === 'and' || head.name === 'or') && piped === NOTHING) {
        piped = shortCircuit(head.name, rest, data, scope);
        continue;
      }
      const args = rest.map((a) => evalOperand(a, data, scope));
      if (piped !== NOTHING) {
        args.push(piped);
      }
      piped = callFunction(head.name, args);
    } else {
      if (rest.length > 0 || piped !== NOTHING) {
        throw new TemplateError(`cannot give arguments to a non-function`);
      }
      piped = evalOperand(head, data, scope);
    }
  }
  return piped === NOTHING ? undefined : piped;
}

const NOTHING = Symbol('nothing');

function shortCircuit(name: 'and' | 'or', args: Operand[], data: TemplateData, scope: Scope): TemplateValue {
  if (args.length === 0) {
    throw new TemplateError(`${name} needs arguments`);
  }
  let value: TemplateValue = undefined;
  for (const a of args) {
    value = evalOperand(a, data, scope);
    if (name === 'and' ? !isTruthy(value) : isTruthy(value)) {
      return value;
    }
  }
  return value;
}

function run(nodes: Node[], data: TemplateData, out: string[], scope: Scope): void {
  for (const node of nodes) {
    if (node.kind === 'text') {
      out.push(node.text);
    } else if (node.kind === 'action') {
      out.push(formatValue(evalPipeline(node.pipeline, data, scope)));
    } else if (node.kind === 'set') {
      const value = evalPipeline(node.pipeline, data, scope);
      (node.declare ? scope[scope.length - 1] : lookup(scope, node.name)).set(node.name, value);
    } else {
      const taken = node.branches.find((b) => isTruthy(evalPipeline(b.cond, data, scope)));
      run(taken ? taken.body : node.otherwise, data, out, [...scope, new Map()]);
    }
  }
}

/** Executes a template; throws TemplateError where Go's Execute would return an error. */
export function executeTemplate(source: string, data: TemplateData): string {
  const out: string[] = [];
  run(parseTemplate(source), data, out, [new Map()]);
  return out.join('');
}
