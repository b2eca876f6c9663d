/** @jest-environment node */
import { bucketLayout, lastSpanWith, regroup, TableSeriesSet, windowRows } from './table-buckets';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 12, 0);

describe('the counts table per bucket', () => {
  it('tiles the window with whole step-aligned buckets and the head and tail around them', () => {
    const layout = bucketLayout(T0 - 3 * MIN, T0 + 32 * MIN, 10 * MIN)!;
    expect(layout.ends).toEqual([T0 + 10 * MIN, T0 + 20 * MIN, T0 + 30 * MIN]);
    expect(layout.parts).toEqual([
      { startMs: T0 - 3 * MIN, endMs: T0 },
      { startMs: T0 + 30 * MIN, endMs: T0 + 32 * MIN },
    ]);
    // Head + buckets + tail is the window, without overlap.
    const covered = layout.parts.reduce((s, p) => s + p.endMs - p.startMs, 0) + layout.ends.length * layout.stepMs;
    expect(covered).toBe(35 * MIN);
    // On the buckets: no head or tail. Fewer than two whole buckets: no layout (one instant query instead).
    expect(bucketLayout(T0, T0 + 20 * MIN, 10 * MIN)!.parts).toEqual([]);
    expect(bucketLayout(T0 - MIN, T0 + 15 * MIN, 10 * MIN)).toBeNull();
  });

  const layout = bucketLayout(T0 - 3 * MIN, T0 + 32 * MIN, 10 * MIN)!;
  const head = T0;
  const tail = T0 + 32 * MIN;
  const series = () => {
    const set = new TableSeriesSet();
    const ledger = { cluster: 'eu', dst_service: 'ledger', direction: 'inbound', status: '200' };
    set.addMatrix(undefined, [{ metric: ledger, values: [[T0 + 10 * MIN, 4], [T0 + 30 * MIN, 6]] }]);
    set.add(undefined, ledger, head, 1);
    set.add(undefined, ledger, tail, 2);
    set.add(undefined, { ...ledger, status: '503' }, T0 + 20 * MIN, 3);
    // The same labels from another pipeline stay another series; zero counts are no series.
    set.add('istio-json', ledger, T0 + 10 * MIN, 5);
    set.add(undefined, { ...ledger, dst_service: 'quiet' }, T0 + 10 * MIN, 0);
    return set.all();
  };

  it('sums each series over the window: the rows one instant count of the window gives', () => {
    const rows = windowRows(series(), tail);
    expect(rows.map((r) => [r.metric.status, r.value])).toEqual([
      ['200', 13],
      ['503', 3],
      ['200', 5],
    ]);
  });

  it('regroups whole table buckets into coarser ones, leaving the head and tail out', () => {
    const all = series().filter((s) => s.profile === undefined);
    const per10 = regroup(all, layout, () => true, ['cluster', 'dst_service'], 10 * MIN, layout.ends);
    expect(per10).toEqual([{ metric: { cluster: 'eu', dst_service: 'ledger' }, values: [[T0 + 10 * MIN, 4], [T0 + 20 * MIN, 3], [T0 + 30 * MIN, 6]] }]);
    const per20 = regroup(all, layout, (m) => m.status !== '503', ['dst_service'], 20 * MIN, [T0 + 20 * MIN]);
    expect(per20).toEqual([{ metric: { dst_service: 'ledger' }, values: [[T0 + 20 * MIN, 4]] }]);
    expect(() => regroup(all, layout, () => true, [], 15 * MIN, [])).toThrow(/not made of whole/);
  });

  it('finds the last stretch holding a kept series: a bucket, or the tail', () => {
    const all = series();
    expect(lastSpanWith(all, layout, (s) => s.metric.status === '503')).toEqual({ startMs: T0 + 10 * MIN, endMs: T0 + 20 * MIN });
    expect(lastSpanWith(all, layout, (s) => s.metric.status === '200' && s.profile === undefined)).toEqual({ startMs: T0 + 30 * MIN, endMs: tail });
    expect(lastSpanWith(all, layout, (s) => s.profile === 'istio-json')).toEqual({ startMs: T0, endMs: T0 + 10 * MIN });
    expect(lastSpanWith(all, layout, () => false)).toBeNull();
  });
});
