/** @jest-environment node */
import { compareNs, labelsKey, mergeMatrix, mergeQueryResponses, mergeStreams } from './mergeResults';
import { DEFAULT_MAX_QUERY_LENGTH_MS, splitRange } from './rangeSplit';

const H = 3600_000;

describe('splitRange', () => {
  it('leaves a range within the limits whole', () => {
    expect(splitRange({ startMs: 0, endMs: 721 * H }, H)).toEqual([{ startMs: 0, endMs: 721 * H }]);
    expect(DEFAULT_MAX_QUERY_LENGTH_MS).toBe(721 * H);
  });

  it('cuts into whole steps no longer than the limit, covering the range exactly', () => {
    const parts = splitRange({ startMs: 1000, endMs: 1000 + 50 * H }, 7 * 60_000, 24 * H);
    expect(parts.map((p) => p.endMs - p.startMs)).toEqual([1435 * 60_000, 1435 * 60_000, 50 * H - 2 * 1435 * 60_000]);
    expect(parts[0].startMs).toBe(1000);
    expect(parts[2].endMs).toBe(1000 + 50 * H);
  });

  it('a step longer than the limit cannot align, so parts are limit-long', () => {
    expect(splitRange({ startMs: 0, endMs: 3 * H }, 2 * H, H)).toEqual([
      { startMs: 0, endMs: H },
      { startMs: H, endMs: 2 * H },
      { startMs: 2 * H, endMs: 3 * H },
    ]);
  });
});

describe('merging', () => {
  it('label identity ignores key order; ns comparison keeps every digit', () => {
    expect(labelsKey({ a: '1', b: '2' })).toBe(labelsKey({ b: '2', a: '1' }));
    expect(labelsKey({ a: '1,b=2' })).not.toBe(labelsKey({ a: '1', b: '2' }));
    expect(compareNs('1645030246277587968', '1645030246277587969')).toBeLessThan(0);
    expect(compareNs('999', '1000')).toBeLessThan(0);
  });

  it('mergeMatrix joins series across parts and drops a repeated boundary point', () => {
    const merged = mergeMatrix([
      [
        {
          metric: { b: '2', a: '1' },
          values: [
            [10, 1],
            [20, 2],
          ],
        },
      ],
      [
        {
          metric: { a: '1', b: '2' },
          values: [
            [20, 2],
            [30, 3],
          ],
        },
        { metric: { a: 'other' }, values: [[30, NaN]] },
      ],
    ]);
    expect(merged).toEqual([
      {
        metric: { b: '2', a: '1' },
        values: [
          [10, 1],
          [20, 2],
          [30, 3],
        ],
      },
      { metric: { a: 'other' }, values: [[30, NaN]] },
    ]);
  });

  it('mergeStreams keeps true duplicates (Loki returns them) and cuts to the limit by time', () => {
    const e = (t: string) => ({ timeNs: t, line: t, structuredMetadata: {}, parsed: {} });
    const parts = [
      [{ labels: { s: 'x' }, entries: [e('30'), e('30')] }],
      [{ labels: { s: 'x' }, entries: [e('20'), e('10')] }],
    ];
    expect(mergeStreams(parts, 'backward', 3)[0].entries.map((x) => x.timeNs)).toEqual(['30', '30', '20']);
    expect(mergeStreams(parts, 'forward', 2)[0].entries.map((x) => x.timeNs)).toEqual(['10', '20']);
  });

  it('mergeQueryResponses unions warnings, sums totals, and refuses mixed result types', () => {
    const merged = mergeQueryResponses(
      [
        {
          resultType: 'matrix',
          result: [],
          warnings: ['w'],
          stats: { totalBytesProcessed: 5, bytesProcessedPerSecond: 9 },
        },
        { resultType: 'empty', result: [], warnings: ['w', 'v'] },
        { resultType: 'matrix', result: [], warnings: [], stats: { totalBytesProcessed: 7 } },
      ],
      'backward',
      100
    );
    expect(merged).toEqual({
      resultType: 'matrix',
      result: [],
      warnings: ['w', 'v'],
      stats: { totalBytesProcessed: 12 },
    });
    expect(() =>
      mergeQueryResponses(
        [
          { resultType: 'matrix', result: [], warnings: [] },
          { resultType: 'streams', result: [], warnings: [] },
        ],
        'backward',
        100
      )
    ).toThrow(/different result types \(matrix, streams\)/);
  });
});
