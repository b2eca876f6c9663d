/** @jest-environment node */
import { getControl } from '../controls';
import { DEFAULT_POLICY, type LoggingPolicy } from '../policy';
import { queryContext } from '../queries/context';
import { bucketEnds, describeSilence, judgeContinuity } from './continuity';

const MIN = 60_000;
const STEP = 30 * MIN;
const T0 = Date.UTC(2026, 10, 30, 12, 0);
const control = getControl('CC4.1-logging-continuity')!;
const policy: LoggingPolicy = {
  ...DEFAULT_POLICY,
  requiredServices: ['ledger', 'checkout', 'auth'],
  thresholds: { ...DEFAULT_POLICY.thresholds, maxSilenceMinutes: 30 },
};
const series = (cluster: string, service: string, ends: number[]) => ({
  metric: { cluster, dst_namespace: 'payments', dst_service: service },
  values: ends.map((t): [number, number] => [t, 3]),
});

describe('continuity buckets', () => {
  it('are the whole step-aligned buckets inside (from, to]', () => {
    expect(bucketEnds(T0 - MIN, T0 + 3 * 60 * MIN + MIN, STEP)).toEqual([1, 2, 3, 4, 5, 6].map((i) => T0 + i * STEP));
    expect(bucketEnds(T0 + MIN, T0 + STEP + MIN, STEP)).toEqual([]);
    expect(() => bucketEnds(T0, T0 + STEP, 0)).toThrow(/at least a minute/);
  });

  it('count every (instance, bucket) pair; a listed service seen nowhere is silent throughout', () => {
    const ends = [1, 2, 3, 4].map((i) => T0 + i * STEP);
    const result = judgeContinuity(
      control,
      [
        series('eu', 'ledger', [ends[0], ends[2], ends[3]]),
        series('us', 'ledger', ends),
        series('eu', 'checkout', ends),
        series('eu', 'not-required', []),
      ],
      ends,
      STEP,
      policy,
      queryContext()
    );
    // Four instances (ledger twice, checkout, auth nowhere) × 4 buckets; ledger/eu misses one, auth all four.
    expect(result).toMatchObject({ buckets: 4, instances: 4, measured: 11 / 16 });
    expect(result.silent.map((b) => `${b.service}@${b.cluster || '-'}:${(b.endMs - T0) / STEP}`).sort()).toEqual(
      ['auth@-:1', 'auth@-:2', 'auth@-:3', 'auth@-:4', 'ledger@eu:2'].sort()
    );
    expect(describeSilence(result)).toMatch(
      /^5 silent bucket\(s\) of 16: auth \(logged nowhere\) 2026-11-30 12:00–12:30 UTC; /
    );
  });

  it('has no value without a whole bucket, and 1 when every instance logged in every bucket', () => {
    expect(judgeContinuity(control, [], [], STEP, policy, queryContext()).measured).toBeNull();
    const ends = [T0 + STEP];
    const all = ['ledger', 'checkout', 'auth'].map((s) => series('eu', s, ends));
    expect(judgeContinuity(control, all, ends, STEP, policy, queryContext()).measured).toBe(1);
  });
});
