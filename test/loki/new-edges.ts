/**
 * CC7.1 on the real path: the conformance windows hold no line before them, so there CC7.1 has
 * no baseline (no evidence). This tenant adds one: two minutes of loggen's traffic earlier the same
 * day, then the first window. The edges of the window those minutes never had are new: loggen's
 * rare edges (denied callers, unmeshed jobs).
 */
import type { BackendSrv } from '@grafana/runtime';
import type { DataFrame } from '@grafana/data';
import { generate } from '../../loggen/generate';
import { column, dataSource, frameNamed, framesOf, liveCase } from './conformance';
import { POLICY } from './policy';
import { requestsOf, truthEdges } from './truth';
import { FIRST_WINDOW, LOKI_UIDS, type ConformanceWindow } from './window';

// Two minutes: an hour of loggen's traffic already holds every edge, even the rarest.
const BASELINE = { seed: 7, ratePerSecond: 5, startMs: Date.UTC(2026, 10, 30, 8, 0), durationMs: 2 * 60_000 };
const CONTROL = 'CC7.1-new-edges';

let lines: ReturnType<ConformanceWindow['lines']> | undefined;
/** Pushed as one span from the baseline's start to the window's end, queried over the first window's range. */
export const CHANGE_WINDOW: ConformanceWindow = {
  suffix: '-edges',
  spec: {
    ...FIRST_WINDOW.spec,
    startMs: BASELINE.startMs,
    durationMs: FIRST_WINDOW.spec.startMs + FIRST_WINDOW.spec.durationMs - BASELINE.startMs,
  },
  range: FIRST_WINDOW.range,
  tenants: { normalized: 'conformance-new-edges', raw: 'conformance-new-edges' },
  auditLines: () => [],
  lines: () =>
    (lines ??= [
      ...generate({
        seed: BASELINE.seed,
        start: BASELINE.startMs,
        durationMs: BASELINE.durationMs,
        ratePerSecond: BASELINE.ratePerSecond,
      }),
      ...FIRST_WINDOW.lines(),
    ]),
};
export const CHANGE_TENANTS = { [LOKI_UIDS.normalized]: CHANGE_WINDOW.tenants.normalized };

export async function askNewEdges(backendSrv: BackendSrv): Promise<DataFrame[]> {
  return framesOf(
    dataSource('normalized', backendSrv, POLICY),
    { queryType: 'controls', controls: [CONTROL] },
    CHANGE_WINDOW.range
  );
}

/** The window's edges (caller as the logs can name it) that the baseline hour does not have. */
function truthNewEdges(): string[] {
  const key = (e: ReturnType<typeof truthEdges>[number]) =>
    `${e.source[2]}/${e.source[3]} → ${e.target[2]}/${e.target[3]} (${e.source[1]})`;
  const baseline = new Set(
    truthEdges(
      requestsOf([
        ...generate({
          seed: BASELINE.seed,
          start: BASELINE.startMs,
          durationMs: BASELINE.durationMs,
          ratePerSecond: BASELINE.ratePerSecond,
        }),
      ])
    ).map(key)
  );
  return truthEdges(requestsOf(FIRST_WINDOW.lines()))
    .map(key)
    .filter((k) => !baseline.has(k))
    .sort();
}

export function describeNewEdgesCase(answers: () => DataFrame[] | Error | undefined, skip: string | null): void {
  const { test, answers: a } = liveCase(answers, skip, 'the new-edges case was not run');
  describe('CC7.1 on the real path, with two earlier minutes as the baseline', () => {
    test("names exactly the window's edges the baseline did not have, and fails on them", () => {
      const frame = frameNamed(a(), 'controls');
      const expected = truthNewEdges();
      expect(expected.length).toBeGreaterThan(0);
      expect(column(frame, 'status')).toEqual(['fail']);
      expect(column(frame, 'measured')).toEqual([expected.length]);
      expect(column(frame, 'evidence_count')).toEqual([expected.length]);
      const detail = String(column(frame, 'detail')[0]);
      expect(detail).toMatch(new RegExp(`^${expected.length} new edge\\(s\\): `));
    });
  });
}
