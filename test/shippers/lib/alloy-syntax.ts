/**
 * A reader for the Alloy configuration syntax our .alloy files use: blocks with an optional label,
 * attributes, strings ("..." with Go escapes, `raw`), numbers, booleans, null, arrays, objects,
 * and expressions (references, function calls, `+`), which are kept as text. Comments are skipped.
 * The real Alloy parser checks the same files in alloy.test.ts when Go is available.
 */
export class AlloySyntaxError extends Error {}

export type AlloyValue =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'null' }
  | { type: 'array'; items: AlloyValue[] }
  | { type: 'object'; entries: Array<[string, AlloyValue]> }
  | { type: 'expr'; text: string };

export interface AlloyBlock {
  name: string;
  label?: string;
  attributes: Array<[string, AlloyValue]>;
  blocks: AlloyBlock[];
}

const GO_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };

class Reader {
  pos = 0;
  constructor(readonly src: string) {}

  fail(msg: string): never {
    const line = this.src.slice(0, this.pos).split('\n').length;
    throw new AlloySyntaxError(`line ${line}: ${msg}`);
  }

  skip(): void {
    for (;;) {
      const rest = this.src.slice(this.pos);
      const m = /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
      if (!m || m[0] === '') {
        return;
      }
      this.pos += m[0].length;
    }
  }

  peek(re: RegExp): RegExpExecArray | null {
    this.skip();
    return new RegExp(re.source, 'y').exec(this.src.slice(this.pos));
  }

  take(re: RegExp, what: string): string {
    const m = this.peek(re);
    if (!m) {
      this.fail(`expected ${what}`);
    }
    this.pos += m[0].length;
    return m[0];
  }

  string(): string {
    const quote = this.src[this.pos];
    if (quote === '`') {
      const end = this.src.indexOf('`', this.pos + 1);
      if (end < 0) {
        this.fail('unterminated raw string');
      }
      const value = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
      return value;
    }
    let out = '';
    this.pos++;
    while (this.pos < this.src.length && this.src[this.pos] !== '"') {
      const c = this.src[this.pos];
      if (c === '\n') {
        this.fail('newline in a string');
      }
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.src[this.pos + 1];
      if (e in GO_ESCAPES) {
        out += GO_ESCAPES[e];
        this.pos += 2;
      } else if (e === 'u' || e === 'U' || e === 'x') {
        const n = e === 'u' ? 4 : e === 'U' ? 8 : 2;
        out += String.fromCodePoint(parseInt(this.src.slice(this.pos + 2, this.pos + 2 + n), 16));
        this.pos += 2 + n;
      } else {
        this.fail(`unknown escape \\${e}`);
      }
    }
    if (this.src[this.pos] !== '"') {
      this.fail('unterminated string');
    }
    this.pos++;
    return out;
  }

  value(): AlloyValue {
    this.skip();
    const start = this.pos;
    const c = this.src[this.pos];
    let v: AlloyValue;
    if (c === '"' || c === '`') {
      v = { type: 'string', value: this.string() };
    } else if (c === '[') {
      this.pos++;
      const items: AlloyValue[] = [];
      while (!this.peek(/\]/)) {
        items.push(this.value());
        if (this.peek(/,/)) {
          this.pos++;
        } else if (!this.peek(/\]/)) {
          this.fail('expected , or ] in an array');
        }
      }
      this.take(/\]/, ']');
      v = { type: 'array', items };
    } else if (c === '{') {
      this.pos++;
      const entries: Array<[string, AlloyValue]> = [];
      while (!this.peek(/\}/)) {
        this.skip();
        const key = this.src[this.pos] === '"' ? this.string() : this.take(/[A-Za-z_][A-Za-z0-9_]*/, 'an object key');
        this.take(/=/, '= in an object');
        entries.push([key, this.value()]);
        if (this.peek(/,/)) {
          this.pos++;
        } else if (!this.peek(/\}/)) {
          this.fail('expected , or } in an object (a trailing comma is required before a closing brace on its own line)');
        }
      }
      this.take(/\}/, '}');
      v = { type: 'object', entries };
    } else if (this.peek(/-?\d+(?:\.\d+)?/)) {
      v = { type: 'number', value: Number(this.take(/-?\d+(?:\.\d+)?/, 'a number')) };
    } else if (this.peek(/(?:true|false|null)\b/)) {
      const word = this.take(/(?:true|false|null)\b/, 'a literal');
      v = word === 'null' ? { type: 'null' } : { type: 'bool', value: word === 'true' };
    } else if (this.peek(/[A-Za-z_]/)) {
      this.take(/[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/, 'a reference');
      if (this.peek(/\(/)) {
        this.pos++;
        while (!this.peek(/\)/)) {
          this.value();
          if (this.peek(/,/)) {
            this.pos++;
          }
        }
        this.take(/\)/, ')');
      }
      v = { type: 'expr', text: this.src.slice(start, this.pos).trim() };
    } else {
      this.fail(`unexpected ${JSON.stringify(c)}`);
    }
    if (this.peek(/\+/)) {
      this.pos++;
      this.value();
      return { type: 'expr', text: this.src.slice(start, this.pos).trim() };
    }
    return v;
  }

  body(closing: boolean): AlloyBlock {
    const block: AlloyBlock = { name: '', attributes: [], blocks: [] };
    for (;;) {
      this.skip();
      if (this.pos >= this.src.length) {
        if (closing) {
          this.fail('missing }');
        }
        return block;
      }
      if (this.src[this.pos] === '}') {
        if (!closing) {
          this.fail('unexpected }');
        }
        this.pos++;
        return block;
      }
      const name = this.take(/[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/, 'an attribute or block name');
      if (this.peek(/=/)) {
        this.pos++;
        block.attributes.push([name, this.value()]);
        continue;
      }
      let label: string | undefined;
      if (this.peek(/"/)) {
        this.skip();
        label = this.string();
      }
      this.take(/\{/, `{ after ${name}`);
      const child = this.body(true);
      block.blocks.push({ ...child, name, label });
    }
  }
}

export function parseAlloy(src: string): AlloyBlock[] {
  return new Reader(src).body(false).blocks;
}

export function findBlock(blocks: AlloyBlock[], name: string, label?: string): AlloyBlock {
  const found = blocks.filter((b) => b.name === name && (label === undefined || b.label === label));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${name}${label ? ` "${label}"` : ''} block, found ${found.length}`);
  }
  return found[0];
}

export function attr(block: AlloyBlock, name: string): AlloyValue | undefined {
  return block.attributes.find(([k]) => k === name)?.[1];
}

/** A plain JS value for comparisons; expressions stay `{ expr: text }`. */
export function plain(v: AlloyValue): unknown {
  switch (v.type) {
    case 'string':
    case 'number':
    case 'bool':
      return v.value;
    case 'null':
      return null;
    case 'array':
      return v.items.map(plain);
    case 'object':
      return Object.fromEntries(v.entries.map(([k, x]) => [k, plain(x)]));
    case 'expr':
      return { expr: v.text };
  }
}
