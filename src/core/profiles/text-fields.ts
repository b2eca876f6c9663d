/**
 * Splitting Envoy-style text lines: `[<start time>] field field "quoted field" ...`.
 * Quoted fields may contain spaces; Envoy does not escape quotes inside them, so a quoted field
 * ends at the first `"` that is followed by a space or the end of the line.
 * A layout names each position and says whether it is quoted, so a line of another layout is
 * rejected with the position that did not fit instead of being read with shifted fields.
 */
import { LineError } from './values';

export interface TextFields {
  time: string;
  values: string[];
  quoted: boolean[];
}

// detect() and parse() of the same line both need the split; keep the last one.
let lastLine: string | undefined;
let lastSplit: TextFields | LineError | undefined;

/** Splits a line that starts with `[time]`; throws LineError when it does not have that shape. */
export function splitBracketed(line: string): TextFields {
  if (line === lastLine && lastSplit) {
    if (lastSplit instanceof LineError) {
      throw lastSplit;
    }
    return lastSplit;
  }
  let result: TextFields | LineError;
  try {
    result = split(line);
  } catch (error) {
    result = error instanceof LineError ? error : new LineError(String(error));
  }
  lastLine = line;
  lastSplit = result;
  if (result instanceof LineError) {
    throw result;
  }
  return result;
}

function split(line: string): TextFields {
  if (line.charCodeAt(0) !== 91 /* [ */) {
    throw new LineError('expected the line to start with "[<timestamp>]"');
  }
  const close = line.indexOf(']');
  if (close < 0) {
    throw new LineError('the "[<timestamp>]" at the start of the line is not closed');
  }
  const values: string[] = [];
  const quoted: boolean[] = [];
  let end = line.length;
  while (
    end > close + 1 &&
    (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 13 || line.charCodeAt(end - 1) === 9)
  ) {
    end--;
  }
  let at = close + 1;
  while (at < end) {
    if (line.charCodeAt(at) === 32) {
      at++;
      continue;
    }
    if (line.charCodeAt(at) === 34 /* " */) {
      let q = line.indexOf('"', at + 1);
      while (q >= 0 && q + 1 < end && line.charCodeAt(q + 1) !== 32) {
        q = line.indexOf('"', q + 1);
      }
      if (q < 0 || q >= end) {
        throw new LineError(`unterminated quoted field at column ${at + 1}`);
      }
      values.push(line.slice(at + 1, q));
      quoted.push(true);
      at = q + 1;
    } else {
      let space = line.indexOf(' ', at);
      if (space < 0 || space > end) {
        space = end;
      }
      values.push(line.slice(at, space));
      quoted.push(false);
      at = space;
    }
  }
  return { time: line.slice(1, close), values, quoted };
}

export interface Layout {
  /** Field names in order; a leading `"` in the spec marks a quoted field, `?` an optional last one. */
  names: string[];
  quoted: boolean[];
  required: number;
  description: string;
  /** Position of each name. */
  index: Map<string, number>;
}

/** `"request" code flags ... ?route` → a Layout. */
export function layout(description: string, spec: string): Layout {
  const names: string[] = [];
  const quoted: boolean[] = [];
  let required = 0;
  for (const word of spec.trim().split(/\s+/)) {
    const optional = word.startsWith('?');
    const bare = optional ? word.slice(1) : word;
    const isQuoted = bare.startsWith('"');
    names.push(isQuoted ? bare.slice(1, -1) : bare);
    quoted.push(isQuoted);
    if (!optional) {
      required = names.length;
    }
  }
  return { names, quoted, required, description, index: new Map(names.map((name, i) => [name, i])) };
}

/** Null when the fields fit the layout, else why not. */
export function layoutMismatch(fields: TextFields, l: Layout): string | null {
  const n = fields.values.length;
  if (n < l.required || n > l.names.length) {
    const expected = l.required === l.names.length ? `${l.required}` : `${l.required}-${l.names.length}`;
    return `${l.description}: expected ${expected} fields after the timestamp, found ${n}`;
  }
  for (let i = 0; i < n; i++) {
    if (fields.quoted[i] !== l.quoted[i]) {
      return `${l.description}: field ${i + 1} (${l.names[i]}) should ${l.quoted[i] ? '' : 'not '}be quoted`;
    }
  }
  return null;
}

/** Values by layout name; a field the line did not reach (or the layout lacks) is undefined. */
export function byName(fields: TextFields, l: Layout): (name: string) => string | undefined {
  // A lookup function rather than a record: building an object with ~20 dynamic keys per line
  // was the largest cost of text parsing.
  return (name) => {
    const i = l.index.get(name);
    return i === undefined ? undefined : fields.values[i];
  };
}

/** `"GET /path HTTP/1.1"` → method, path, protocol ("-" → null). */
export function splitRequestLine(request: string): {
  method: string | null;
  path: string | null;
  protocol: string | null;
} {
  const first = request.indexOf(' ');
  const last = request.lastIndexOf(' ');
  if (first < 0 || first === last) {
    throw new LineError(
      `request field should be "<method> <path> <protocol>", got ${JSON.stringify(request.slice(0, 60))}`
    );
  }
  const clean = (s: string) => (s === '-' || s === '' ? null : s);
  return {
    method: clean(request.slice(0, first)),
    path: clean(request.slice(first + 1, last)),
    protocol: clean(request.slice(last + 1)),
  };
}
