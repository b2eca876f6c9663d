/** JSON access-log lines: parsing one object, and cheap marker checks for detection. */
import { LineError } from './values';

export function parseJsonObject(line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new LineError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LineError(
      `expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`
    );
  }
  return value as Record<string, unknown>;
}

/** True when the first non-blank character is `{`. */
export function looksLikeJsonObject(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) {
      return c === 123;
    }
  }
  return false;
}

/**
 * True when the text has `"<key>":` somewhere. Searches for the key without its opening quote:
 * JSON is full of quotes, so a needle that starts with one makes indexOf stop at every field.
 */
export function hasJsonKey(line: string, key: string): boolean {
  const needle = `${key}":`;
  let at = line.indexOf(needle, 1);
  while (at > 0) {
    if (line.charCodeAt(at - 1) === 34) {
      return true;
    }
    at = line.indexOf(needle, at + 1);
  }
  return false;
}

/**
 * The raw string value of `"key":"..."` found by scanning the text (no JSON.parse), or null when
 * the key is absent or its value is not a string. Good enough for detection markers only: escapes
 * are not decoded.
 */
export function peekJsonString(line: string, key: string): string | null {
  const needle = `${key}"`;
  let at = line.indexOf(needle, 1);
  while (at > 0 && line.charCodeAt(at - 1) !== 34) {
    at = line.indexOf(needle, at + 1);
  }
  if (at < 0) {
    return null;
  }
  at += needle.length;
  while (line.charCodeAt(at) === 32) {
    at++;
  }
  if (line.charCodeAt(at) !== 58 /* : */) {
    return null;
  }
  at++;
  while (line.charCodeAt(at) === 32) {
    at++;
  }
  if (line.charCodeAt(at) !== 34) {
    return null;
  }
  let end = line.indexOf('"', at + 1);
  while (end > 0 && line.charCodeAt(end - 1) === 92 /* \ */) {
    end = line.indexOf('"', end + 1);
  }
  return end < 0 ? null : line.slice(at + 1, end);
}
