/** @jest-environment node */
import { parseBoundedNumber, percentToShare, selectorToTags, shareToPercent, tagsToSelector } from './policyForm';

describe('policy form helpers', () => {
  it('round-trips a selector through tags', () => {
    const selector = { log_type: 'access', cluster: 'prod=east' };
    const tags = selectorToTags(selector);
    expect(tags).toEqual(['log_type=access', 'cluster=prod=east']);
    expect(tagsToSelector(tags)).toEqual({ ok: true, selector });
  });

  it.each([
    [['noequals'], 'is not label=value'],
    [['1abc=x'], 'not a valid Loki label name'],
    [['a='], 'empty value'],
    [['a=1', 'a=2'], 'appears twice'],
    [[], 'at least one'],
  ])('rejects %j with a reason', (tags, reason) => {
    const result = tagsToSelector(tags);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(reason);
  });

  it('parses bounded numbers and says why it cannot', () => {
    expect(parseBoundedNumber(' 365 ', 1, 3650, true)).toEqual({ ok: true, value: 365 });
    expect(parseBoundedNumber('1.5', 1, 3650, true)).toEqual({ ok: false, error: 'Enter a whole number.' });
    expect(parseBoundedNumber('0', 1, 3650, true)).toEqual({ ok: false, error: 'Enter a value from 1 to 3650.' });
    expect(parseBoundedNumber('abc', 1, 10)).toEqual({ ok: false, error: '"abc" is not a number.' });
    expect(parseBoundedNumber('', 1, 10)).toEqual({ ok: false, error: 'Enter a number.' });
  });

  it('edits shares as percentages', () => {
    expect(shareToPercent(0.05)).toBe('5');
    expect(percentToShare('99.5')).toEqual({ ok: true, value: 0.995 });
    expect(percentToShare('101').ok).toBe(false);
  });
});
