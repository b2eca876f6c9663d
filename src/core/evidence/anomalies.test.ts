import { DEFAULT_ANOMALY_OPTIONS as O, judgeService, type Bucket } from './anomalies';

const where = { cluster: 'eu', namespace: 'shop', service: 'catalog' };
const STEP = O.stepMs;
const buckets = (rows: Array<[requests: number, errors: number]>): Bucket[] => rows.map(([requests, errors], i) => ({ endMs: (i + 1) * STEP, requests, errors }));

describe('judgeService', () => {
  it('flags a 5xx burst against the service baseline, with the reason in numbers', () => {
    const quiet: Array<[number, number]> = Array.from({ length: 12 }, (_, i) => [450 + i, i % 3]);
    const found = judgeService(where, buckets([...quiet.slice(0, 6), [410, 178], ...quiet.slice(6)]), O);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'error-share', service: 'catalog', startMs: 6 * STEP, endMs: 7 * STEP });
    expect(found[0].reason).toMatch(/^5xx share 43\.4% \(178 of 410\) in 01:00–01:10 vs baseline 0\.2% ± 0\.\d%$/);
  });

  it('flags nothing in a quiet window, even with ordinary noise', () => {
    const rows: Array<[number, number]> = Array.from({ length: 18 }, (_, i) => [200 + (i * 37) % 50, (i * 7) % 4]);
    expect(judgeService(where, buckets(rows), O)).toEqual([]);
  });

  it('judges no share from too few requests, and needs a handful of failures', () => {
    const rows: Array<[number, number]> = [...Array.from({ length: 10 }, (): [number, number] => [100, 0]), [10, 9], [100, 4]];
    expect(judgeService(where, buckets(rows), O)).toEqual([]);
  });

  it('flags a whole bucket without requests for a service that usually logs, but not for a rare one', () => {
    const usual: Array<[number, number]> = [[50, 0], [48, 0], [0, 0], [0, 0], [52, 0], [47, 0]];
    const silent = judgeService(where, buckets(usual), O);
    expect(silent.map((s) => [s.kind, s.startMs / STEP])).toEqual([
      ['silence', 2],
      ['silence', 3],
    ]);
    expect(silent[0].reason).toBe('no request logged by its own proxy in 00:20–00:30 vs a median of 47.5 per 10 min');
    const rare: Array<[number, number]> = [[3, 0], [0, 0], [2, 0], [0, 0], [4, 0]];
    expect(judgeService(where, buckets(rare), O)).toEqual([]);
  });

  it("judges an edge by its error share against the edge's own baseline, never a quiet caller as a silence", () => {
    const quiet: Array<[number, number]> = Array.from({ length: 8 }, (_, i) => [120 + i, i % 2]);
    const edge = { ...where, caller: 'frontend' };
    const found = judgeService(edge, buckets([...quiet, [110, 50], [0, 0], [0, 0]]), O, true);
    expect(found.map((f) => [f.kind, f.caller, f.startMs / STEP])).toEqual([['edge-error-share', 'frontend', 8]]);
    expect(found[0].reason).toMatch(/^from frontend: 5xx share 45\.5% \(50 of 110\)/);
    expect(judgeService({ ...where, caller: '' }, buckets([...quiet, [110, 50]]), O, true)[0].reason).toMatch(/^from an unnamed caller: /);
  });
});
