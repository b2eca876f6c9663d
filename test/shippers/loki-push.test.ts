/** @jest-environment node */
/**
 * The readers bench/promtail-pipeline relies on to check a real Promtail's pushes: snappy block
 * decompression, the push's protobuf fields, Prometheus label sets; and the spelling of Promtail's
 * regexes that the other shippers' configs are compared with.
 */
import { decodePush, parseLabelSet, snappyDecode } from './lib/loki-push';
import { withoutDashAlternatives } from './lib/promtail-regexes';

/** Protobuf encoding of the few field kinds a push uses. */
const varint = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...varint(Math.floor(n / 128))]);
const bytesField = (no: number, body: number[]): number[] => [(no << 3) | 2, ...varint(body.length), ...body];
const intField = (no: number, n: number): number[] => [(no << 3) | 0, ...varint(n)];
const text = (s: string): number[] => [...Buffer.from(s, 'utf8')];
/** A snappy block of one literal (no compression); past 60 bytes its length follows the tag in one byte. */
const literalBlock = (body: number[]): Buffer =>
  Buffer.from([
    ...varint(body.length),
    ...(body.length <= 60 ? [(body.length - 1) << 2] : [60 << 2, body.length - 1]),
    ...body,
  ]);

describe('snappyDecode', () => {
  it('expands a literal followed by an overlapping copy', () => {
    // "abc", then a copy of 6 bytes from 3 back (1-byte offset form): "abcabcabc".
    expect(snappyDecode(Buffer.from([9, 0x08, 0x61, 0x62, 0x63, 0x09, 0x03])).toString()).toBe('abcabcabc');
  });

  it('refuses a copy from before the start', () => {
    expect(() => snappyDecode(Buffer.from([4, 0x09, 0x03]))).toThrow(/offset/);
  });
});

describe('decodePush', () => {
  it('reads streams, their labels, and each entry’s nanosecond time and line', () => {
    const entry = (seconds: number, nanos: number, line: string) =>
      bytesField(2, [...bytesField(1, [...intField(1, seconds), ...intField(2, nanos)]), ...bytesField(2, text(line))]);
    const stream = bytesField(1, [
      ...bytesField(1, text('{mesh="istio", namespace="shop"}')),
      ...entry(1764493200, 2_000_123, '{"a":1}'),
      ...entry(1764493201, 0, 'é'),
    ]);
    const body = literalBlock([
      ...stream,
      ...bytesField(1, [...bytesField(1, text('{mesh="kuma"}')), ...entry(5, 6, 'x')]),
    ]);
    expect(decodePush(body)).toEqual([
      { labels: { mesh: 'istio', namespace: 'shop' }, ns: '1764493200002000123', line: '{"a":1}' },
      { labels: { mesh: 'istio', namespace: 'shop' }, ns: '1764493201000000000', line: 'é' },
      { labels: { mesh: 'kuma' }, ns: '5000000006', line: 'x' },
    ]);
  });

  it('unquotes label values as Go prints them', () => {
    expect(parseLabelSet('{a="x\\"y", b="c\\\\d"}')).toEqual({ a: 'x"y', b: 'c\\d' });
  });
});

describe('withoutDashAlternatives', () => {
  it('drops the dash alternative around a group, brackets and quotes inside it included', () => {
    expect(withoutDashAlternatives('^\\[(?:-|(?P<t>[^\\]]*))\\] "(?:-|(?P<p>(?:[^"]|"[^ ])*)) x"$')).toBe(
      '^\\[(?P<t>[^\\]]*)\\] "(?P<p>(?:[^"]|"[^ ])*) x"$'
    );
  });

  it('leaves other alternations alone', () => {
    expect(withoutDashAlternatives('^(?:a|(?P<b>c))(?:-|x)$')).toBe('^(?:a|(?P<b>c))(?:-|x)$');
  });
});
