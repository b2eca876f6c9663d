/** @jest-environment node */
import { parseSelector, selectorMatches, SelectorParseError } from './selector';

describe('parseSelector', () => {
  it('reads every matcher kind and Go string escapes', () => {
    expect(parseSelector(' { a = "x\\"y" , b!=`raw\\n`, c=~"d|e", d!~"\\u00e9.*" } ')).toEqual([
      { label: 'a', op: '=', value: 'x"y' },
      { label: 'b', op: '!=', value: 'raw\\n' },
      { label: 'c', op: '=~', value: 'd|e' },
      { label: 'd', op: '!~', value: 'é.*' },
    ]);
  });

  it.each([
    ['namespace="a"', /expected "\{"/],
    ['{}', /has no matcher/],
    ['{a="b"', /expected "," or "\}"/],
    ['{a="b} ', /unterminated string/],
    ['{1a="b"}', /expected a label name/],
    ['{a=b}', /expected a quoted value/],
    ['{a="\\q"}', /unknown escape/],
    ['{a="b"} |= "c"', /no pipeline/],
  ])('rejects %j with where and why', (text, message) => {
    expect(() => parseSelector(text)).toThrow(SelectorParseError);
    expect(() => parseSelector(text)).toThrow(message);
  });
});

describe('selectorMatches', () => {
  it('matches all matchers, a missing label as ""', () => {
    const m = parseSelector('{a="1", b!~"x|y", c=~""}');
    expect(selectorMatches(m, { a: '1' })).toBe(true);
    expect(selectorMatches(m, { a: '1', b: 'x' })).toBe(false);
    expect(selectorMatches(m, { a: '1', c: 'z' })).toBe(false);
    expect(selectorMatches(m, { a: '2' })).toBe(false);
  });
});
