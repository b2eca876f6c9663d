/**
 * Raw field values as access logs print them, turned into common-schema values.
 * Proxies print an absent value as "-" (Envoy, Kuma, Linkerd's client.id), "" (Linkerd JSON) or
 * JSON null (Envoy typed JSON); the common schema says null for all of them.
 * A value of the wrong kind is a LineError, never a silent null: null means "the log did not say".
 */

/**
 * A line that cannot be turned into a record; the message says which field and why.
 * Built without a stack trace: bad lines are routine input, not bugs, and capturing a stack per
 * rejected line dominated the cost of auto-detection on mixed streams.
 */
export class LineError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'LineError';
  }
}

/** A string value, or null when the log printed nothing. Numbers are kept as their decimal text. */
export function textValue(value: unknown, field: string): string | null {
  if (typeof value === 'string') {
    return value === '' || value === '-' ? null : value;
  }
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  throw new LineError(`field ${field}: expected a string, got ${describe(value)}`);
}

/**
 * A number from a JSON number or a decimal string ("12", "0.5"); "-", "" and null are null.
 * Every number an access log carries (status, bytes, durations, ports) is non-negative.
 */
export function numberValue(value: unknown, field: string): number | null {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) {
      return value;
    }
    throw new LineError(`field ${field}: expected a non-negative finite number, got ${value}`);
  }
  if (value === null || value === undefined || value === '' || value === '-') {
    return null;
  }
  if (typeof value === 'string' && isDecimal(value)) {
    return Number(value);
  }
  throw new LineError(`field ${field}: expected a number, got ${describe(value)}`);
}

/** Digits with at most one decimal point, no sign, exponent or spaces: what proxies print. */
function isDecimal(text: string): boolean {
  let dots = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
    } else if (c === 46 && dots === 0) {
      dots++;
    } else {
      return false;
    }
  }
  return digits > 0 && text.length <= 20;
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * An RFC 3339 timestamp (`2024-06-02T13:24:57.930Z`, `...+02:00`, up to nanosecond fractions)
 * as an RFC 3339 UTC string. The fraction is kept as printed: Linkerd and Hubble log nanoseconds
 * and request pairing may need them. Hand-parsed because Date drops everything below milliseconds.
 */
export function utcTimestamp(value: unknown, field: string): string | null {
  const text = textValue(value, field);
  if (text === null) {
    return null;
  }
  const fail = () => new LineError(`field ${field}: not an RFC 3339 timestamp: ${describe(text)}`);
  if (
    text.length < 20 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  ) {
    throw fail();
  }
  const sep = text[10];
  if (sep !== 'T' && sep !== 't' && sep !== ' ') {
    throw fail();
  }
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (!(
    year >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= monthDays &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 60
  )) {
    throw fail();
  }
  let at = 19;
  let fraction = '';
  if (text[at] === '.') {
    const start = at;
    at++;
    while (at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) {
      at++;
    }
    if (at === start + 1) {
      throw fail();
    }
    fraction = text.slice(start, at);
  }
  const zone = text.slice(at);
  const clock = `${text.slice(0, 10)}T${text.slice(11, 19)}`;
  if (zone === 'Z' || zone === 'z') {
    return `${clock}${fraction}Z`;
  }
  if (zone.length !== 6 || (zone[0] !== '+' && zone[0] !== '-') || zone[3] !== ':') {
    throw fail();
  }
  const offsetMinutes = (twoDigits(zone, 1) * 60 + twoDigits(zone, 4)) * (zone[0] === '+' ? 1 : -1);
  if (!Number.isFinite(offsetMinutes) || Math.abs(offsetMinutes) >= 24 * 60) {
    throw fail();
  }
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) - offsetMinutes * 60_000;
  return `${new Date(utcMs).toISOString().slice(0, 19)}${fraction}Z`;
}

/** `host:port`, `[v6]:port` or bare host → the port, or null. */
export function portOf(address: string | null): number | null {
  if (address === null) {
    return null;
  }
  const colon = address.lastIndexOf(':');
  if (colon < 0 || (address.indexOf(':') !== colon && address[colon - 1] !== ']')) {
    return null;
  }
  const port = address.slice(colon + 1);
  if (port.length === 0 || port.length > 5 || !isDecimal(port) || port.includes('.')) {
    return null;
  }
  const n = Number(port);
  return n <= 65535 ? n : null;
}

/** `host:port` → host (brackets of an IPv6 literal removed). */
export function hostOf(address: string): string {
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    return end > 0 ? address.slice(1, end) : address;
  }
  const colon = address.lastIndexOf(':');
  return colon >= 0 && address.indexOf(':') === colon ? address.slice(0, colon) : address;
}

/** True for dotted IPv4 or any IPv6 literal: such a host names no service. */
export function isIpLiteral(host: string): boolean {
  if (host.includes(':')) {
    return true;
  }
  let dots = 0;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c === 46) {
      dots++;
    } else if (c < 48 || c > 57) {
      return false;
    }
  }
  return dots === 3;
}

/** `http://host:port/path?q` or `/path?q` → path with query; anything else unchanged. */
export function pathOfUri(uri: string): string {
  const scheme = uri.indexOf('://');
  if (scheme < 0 || scheme > 10) {
    return uri;
  }
  const slash = uri.indexOf('/', scheme + 3);
  return slash < 0 ? '/' : uri.slice(slash);
}

/** Authority of an absolute URI, or null for origin-form. */
export function authorityOfUri(uri: string): string | null {
  const scheme = uri.indexOf('://');
  if (scheme < 0 || scheme > 10) {
    return null;
  }
  const slash = uri.indexOf('/', scheme + 3);
  const authority = slash < 0 ? uri.slice(scheme + 3) : uri.slice(scheme + 3, slash);
  return authority === '' ? null : authority;
}
