/** @jest-environment node */
import { DAY_MS } from '../frames';
import { dayRange, observeCoverage } from './coverage';
import { classVerdict } from './status';

const day0 = Date.UTC(2026, 10, 20);
// Loki stamps a day's volume bucket 1 ms before the next midnight (seen on Loki 3.7.3).
const stamp = (i: number) => day0 + (i + 1) * DAY_MS - 1;
const access = { name: 'mesh-access', matchers: [{ label: 'log_type', op: '=' as const, value: 'access' }] };
const audit = { name: 'mesh-audit', matchers: [{ label: 'log_type', op: '=' as const, value: 'audit' }] };

describe('observeCoverage', () => {
  const range = dayRange(day0, day0 + 6 * DAY_MS);
  const series = [
    {
      metric: { log_type: 'access', namespace: 'a' },
      values: [0, 1, 3, 5].map((i): [number, number] => [stamp(i), 100]),
    },
    {
      metric: { log_type: 'access', namespace: 'b' },
      values: [
        [stamp(1), 7],
        [stamp(2), NaN],
      ] as Array<[number, number]>,
    },
    {
      metric: { log_type: 'audit', namespace: 'c' },
      values: [
        [stamp(4), 5],
        [stamp(5), 5],
      ] as Array<[number, number]>,
    },
  ];
  const [a, b] = observeCoverage([access, audit], series, range);

  it("sums a class's series per UTC day and names the oldest day and every gap day", () => {
    expect(a.days.map((d) => d.bytes)).toEqual([100, 107, 0, 100, 0, 100]);
    expect(a.oldestDayMs).toBe(day0);
    expect(a.gapDaysMs).toEqual([day0 + 2 * DAY_MS, day0 + 4 * DAY_MS]);
    expect(a.series).toEqual([series[0].metric, series[1].metric]);
    expect(b.oldestDayMs).toBe(day0 + 4 * DAY_MS);
    expect(b.gapDaysMs).toEqual([0, 1, 2, 3].map((i) => day0 + i * DAY_MS));
  });

  it('a partial last day without data is not a gap yet', () => {
    const [c] = observeCoverage([access], [], dayRange(day0, day0 + DAY_MS + 3_600_000));
    expect(c.days).toHaveLength(2);
    expect(c.gapDaysMs).toEqual([day0]);
  });

  it('gives each class a status and a reason naming the days', () => {
    const known = { known: true as const, periodMs: 400 * DAY_MS, basis: 'rule x' };
    expect(classVerdict(365, known, a, 6)).toEqual({
      status: 'gap',
      reason: '2 day(s) without data after 2026-11-20: 2026-11-22, 2026-11-24.',
    });
    expect(classVerdict(365, known, b, 6).reason).toBe('no data before 2026-11-24 (4 day(s) of the range).');
    expect(classVerdict(500, known, a, 6)).toEqual({
      status: 'configured-short',
      reason: 'Loki keeps 400d (rule x); the policy requires 500d.',
    });
    const full = observeCoverage(
      [access],
      [{ metric: { log_type: 'access' }, values: [0, 1].map((i): [number, number] => [stamp(i), 1]) }],
      dayRange(day0, day0 + 2 * DAY_MS)
    )[0];
    expect(classVerdict(365, known, full, 2).status).toBe('range-too-short');
    expect(classVerdict(2, known, full, 2).status).toBe('meets');
    expect(classVerdict(2, { known: true, periodMs: 0, basis: 'retention_period' }, full, 2).reason).toContain(
      'Loki keeps forever'
    );
    expect(classVerdict(2, { known: false, why: 'no limits endpoint' }, full, 2)).toEqual({
      status: 'unknown',
      reason: "Data on every day of the 2-day range, but Loki's configured retention is unknown: no limits endpoint",
    });
    const none = observeCoverage([audit], [], dayRange(day0, day0 + 2 * DAY_MS))[0];
    expect(classVerdict(2, known, none, 2)).toEqual({
      status: 'gap',
      reason: 'No data in any of the 2 days of the range.',
    });
  });
});
