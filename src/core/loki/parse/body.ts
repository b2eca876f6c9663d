/**
 * Reading a 2xx body defensively: every shape check names the JSON path that failed, so a
 * malformed body becomes one `LokiMalformedResponseError` instead of a TypeError from deep inside.
 */
import { extractErrorText, looksLikeHtml, quote } from '../classifyError';
import { LokiMalformedResponseError } from '../errors';

export type JsonRecord = Record<string, unknown>;

/** The context of one body being read: where it came from, to build errors that say so. */
export class BodyReader {
  constructor(
    readonly body: string,
    readonly status: number,
    /** What was expected, for messages: e.g. "a query_range response". */
    readonly expected: string
  ) {}

  fail(path: string, problem: string): never {
    throw new LokiMalformedResponseError(
      {
        status: this.status,
        lokiMessage: quote(this.body),
        body: this.body,
        message: `Loki's answer is not ${this.expected} Mesh Audit can read: ${path ? `${path} ` : ''}${problem}.`,
      },
      path
    );
  }

  /** The parsed JSON value of the body. */
  json(): unknown {
    const text = this.body;
    if (text.trim() === '') {
      this.fail('', 'the body is empty');
    }
    if (looksLikeHtml(text)) {
      this.fail(
        '',
        `it is an HTML page ("${extractErrorText(text)}") instead of JSON; check that the URL points at Loki ` +
          '(not at Grafana, a login page or a proxy error page)'
      );
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return this.fail('', `the body is not valid JSON (${reason}); it may be truncated. It starts: ${quote(text)}`);
    }
  }

  record(value: unknown, path: string): JsonRecord {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `should be an object but is ${describe(value)}`);
    }
    return value as JsonRecord;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) {
      this.fail(path, `should be an array but is ${describe(value)}`);
    }
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') {
      this.fail(path, `should be a string but is ${describe(value)}`);
    }
    return value;
  }

  number(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(path, `should be a number but is ${describe(value)}`);
    }
    return value;
  }

  /** A flat label map: string keys to string values. Returned as parsed (no copy). */
  labels(value: unknown, path: string): Record<string, string> {
    const map = this.record(value, path);
    for (const key in map) {
      if (typeof map[key] !== 'string') {
        this.fail(`${path}.${key}`, `should be a string label value but is ${describe(map[key])}`);
      }
    }
    return map as Record<string, string>;
  }

  strings(value: unknown, path: string): string[] {
    const list = this.array(value, path);
    for (let i = 0; i < list.length; i++) {
      if (typeof list[i] !== 'string') {
        this.fail(`${path}[${i}]`, `should be a string but is ${describe(list[i])}`);
      }
    }
    return list as string[];
  }
}

export function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (value === undefined) {
    return 'missing';
  }
  if (Array.isArray(value)) {
    return `an array of ${value.length}`;
  }
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  }
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
