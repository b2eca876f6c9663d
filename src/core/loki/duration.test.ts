/** @jest-environment node */
import { formatDurationMs, formatStepParam, parseDurationMs } from './duration';

describe('durations', () => {
  it('reads Go and Prometheus notations', () => {
    expect(parseDurationMs('48h0m0s')).toBe(48 * 3600_000);
    expect(parseDurationMs('30d1h')).toBe(721 * 3600_000);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('300ms')).toBe(300);
    expect(parseDurationMs('2w')).toBe(14 * 86400_000);
    expect(parseDurationMs('1m30s')).toBe(90_000);
    expect(parseDurationMs('0')).toBe(0);
    expect(parseDurationMs('')).toBeUndefined();
    expect(parseDurationMs('ten minutes')).toBeUndefined();
    expect(parseDurationMs('5x')).toBeUndefined();
  });

  it('prints like Prometheus model.Duration (weeks only when exact)', () => {
    expect(formatDurationMs(721 * 3600_000)).toBe('30d1h');
    expect(formatDurationMs(744 * 3600_000)).toBe('31d');
    expect(formatDurationMs(14 * 86400_000)).toBe('2w');
    expect(formatDurationMs(90_500)).toBe('1m30s500ms');
    expect(formatDurationMs(0)).toBe('0s');
  });

  it('writes step parameters with a single unit', () => {
    expect(formatStepParam(60_000)).toBe('60s');
    expect(formatStepParam(1500)).toBe('1500ms');
  });
});
