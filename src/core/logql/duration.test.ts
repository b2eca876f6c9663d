/** @jest-environment node */
import fc from 'fast-check';
import { formatDuration, MS, parseDuration, renderRange } from './duration';
import { LogqlError } from './errors';

describe('durations', () => {
  it('formats milliseconds as the shortest exact Loki duration', () => {
    expect(formatDuration(5 * MS.m)).toBe('5m');
    expect(formatDuration(90 * MS.m)).toBe('1h30m');
    expect(formatDuration(90 * MS.s)).toBe('1m30s');
    expect(formatDuration(MS.d)).toBe('1d');
    expect(formatDuration(7 * MS.d + 1500)).toBe('7d1s500ms');
  });

  it('rejects zero, negative and fractional milliseconds', () => {
    for (const bad of [0, -1000, 1.5, NaN, Infinity]) {
      expect(() => formatDuration(bad)).toThrow(LogqlError);
    }
  });

  it('parses Loki/Prometheus durations', () => {
    expect(parseDuration('1h')).toBe(MS.h);
    expect(parseDuration('7d')).toBe(7 * MS.d);
    expect(parseDuration('2w')).toBe(14 * MS.d);
    expect(parseDuration('1y')).toBe(365 * MS.d);
    expect(parseDuration('1h30m')).toBe(90 * MS.m);
    expect(parseDuration('250ms')).toBe(250);
  });

  it('rejects malformed durations with a message naming the input', () => {
    for (const bad of ['', '1', 'h', '1.5h', '5 m', '30m1h', '-5m', '0s', '1hh', '5M']) {
      expect(() => parseDuration(bad)).toThrow(new RegExp(`invalid duration ${JSON.stringify(bad).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });

  it('parse(format(ms)) is the identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 * MS.d }), (ms) => parseDuration(formatDuration(ms)) === ms),
      { seed: 7, numRuns: 1000 }
    );
  });

  it('renders Grafana variables only when asked for explicitly', () => {
    expect(renderRange({ grafanaVariable: '$__auto' })).toBe('$__auto');
    expect(renderRange(MS.h)).toBe('1h');
    expect(() => renderRange({ grafanaVariable: '$__nope' as '$__auto' })).toThrow(/unsupported Grafana duration variable/);
  });
});
