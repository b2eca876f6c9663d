/** @jest-environment node */
import fc from 'fast-check';

import { LokiClient, queryRangeCap } from './client';
import { parseDurationMs } from './duration';
import { FakeLokiTransport } from '../../../test/support/fakeLoki';
import type { LokiRawResponse, LokiRequest } from './types';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1);

function param(request: LokiRequest, name: string): string {
  const v = request.params[name];
  if (typeof v !== 'string') {
    throw new Error(`param ${name} is ${JSON.stringify(v)}`);
  }
  return v;
}

const nsToMs = (ns: string) => Number(BigInt(ns) / BigInt(1_000_000));

/**
 * A small Loki stand-in for query_range: enforces max_query_length like Loki, evaluates a metric
 * query on the step grid start..end inclusive, and returns log lines at every minute in
 * [start, end) in the requested direction, cut to `limit`.
 */
function simulatedLoki(maxLengthMs: number) {
  const series = [{ app: 'a' }, { app: 'b' }];
  const value = (i: number, t: number) => i * 1000 + (t - START) / 60_000;
  return new FakeLokiTransport().on('/loki/api/v1/query_range', (request): LokiRawResponse => {
    const start = nsToMs(param(request, 'start'));
    const end = nsToMs(param(request, 'end'));
    if (end - start > maxLengthMs) {
      return {
        status: 400,
        body: `the query time range exceeds the limit (query length: ${(end - start) / HOUR}h0m0s, limit: ${maxLengthMs / DAY}d)`,
      };
    }
    const query = param(request, 'query');
    if (query.startsWith('sum')) {
      const step = parseDurationMs(param(request, 'step'))!;
      const result = series.map((metric, i) => {
        const values: Array<[number, string]> = [];
        for (let t = start; t <= end; t += step) {
          values.push([t / 1000, String(value(i, t))]);
        }
        return { metric, values };
      });
      return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }) };
    }
    const limit = Number(request.params.limit ?? 100);
    const forward = request.params.direction === 'forward';
    const times: number[] = [];
    for (let t = Math.ceil(start / 60_000) * 60_000; t < end; t += 60_000) {
      times.push(t);
    }
    const picked = (forward ? times : times.reverse()).slice(0, limit);
    const result = series.map((stream, i) => ({
      stream,
      values: picked.filter((t) => (t / 60_000) % 2 === i).map((t) => [`${t}000000`, `line at ${t}`]),
    }));
    return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'streams', result } }) };
  });
}

describe('LokiClient range splitting', () => {
  it('splits a metric query into step-aligned sub-ranges and merges without duplicate boundary points', async () => {
    const transport = simulatedLoki(DAY);
    const client = new LokiClient(transport, { maxQueryLengthMs: DAY });
    const step = 7 * 60_000; // does not divide a day: sub-range lengths must still be whole steps
    const endMs = START + 3 * DAY + 5 * HOUR;
    const answer = await client.queryRange({
      query: 'sum by (app) (rate({a="b"}[5m]))',
      startMs: START,
      endMs,
      stepMs: step,
    });

    const ranges = transport.requests.map((r) => [nsToMs(param(r, 'start')), nsToMs(param(r, 'end'))]);
    expect(ranges.length).toBe(4);
    for (const [s, e] of ranges) {
      expect(e - s).toBeLessThanOrEqual(DAY);
      expect((s - START) % step).toBe(0);
    }
    // Contiguous and covering: sorted sub-ranges chain from start to end.
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    expect(sorted[0][0]).toBe(START);
    expect(sorted[sorted.length - 1][1]).toBe(endMs);
    sorted.slice(1).forEach(([s], i) => expect(s).toBe(sorted[i][1]));

    if (answer.resultType !== 'matrix') {
      throw new Error(answer.resultType);
    }
    const expectedTimes: number[] = [];
    for (let t = START; t <= endMs; t += step) {
      expectedTimes.push(t);
    }
    expect(answer.result.map((s) => s.metric)).toEqual([{ app: 'a' }, { app: 'b' }]);
    for (const [i, s] of answer.result.entries()) {
      expect(s.values.map(([t]) => t)).toEqual(expectedTimes);
      expect(s.values.every(([t, v]) => v === i * 1000 + (t - START) / 60_000)).toBe(true);
    }
  });

  it('also splits to stay under 11,000 points per series', async () => {
    const transport = simulatedLoki(Infinity);
    const client = new LokiClient(transport, { maxQueryLengthMs: 0 });
    await client.queryRange({
      query: 'sum(rate({a="b"}[1m]))',
      startMs: START,
      endMs: START + 10 * DAY,
      stepMs: 60_000,
    });
    expect(transport.requests).toHaveLength(2); // 14,400 steps -> 11,000 + 3,400
  });

  it('a backward log query walks newest sub-range first, stops at the limit, keeps the newest lines', async () => {
    const transport = simulatedLoki(DAY);
    const client = new LokiClient(transport, { maxQueryLengthMs: DAY });
    const endMs = START + 3 * DAY;
    const answer = await client.queryRange({ query: '{a="b"}', startMs: START, endMs, limit: 1500, stepMs: 60_000 });
    if (answer.resultType !== 'streams') {
      throw new Error(answer.resultType);
    }
    // 1440 lines per day: the newest day and part of the day before, nothing from the first day.
    expect(transport.requests).toHaveLength(2);
    expect(transport.requests.map((r) => r.params.limit)).toEqual(['1500', '60']);
    const times = answer.result.flatMap((s) => s.entries.map((e) => nsToMs(e.timeNs))).sort((a, b) => b - a);
    expect(times).toHaveLength(1500);
    expect(times[0]).toBe(endMs - 60_000);
    expect(times[1499]).toBe(endMs - 1500 * 60_000);
    expect(new Set(times).size).toBe(1500);
    // Each stream's entries are newest first, as Loki orders a backward query.
    for (const stream of answer.result) {
      const ts = stream.entries.map((e) => nsToMs(e.timeNs));
      expect(ts).toEqual([...ts].sort((a, b) => b - a));
    }
  });

  it('a forward log query keeps the oldest lines', async () => {
    const transport = simulatedLoki(DAY);
    const answer = await new LokiClient(transport, { maxQueryLengthMs: DAY }).queryRange({
      query: '{a="b"}',
      startMs: START,
      endMs: START + 2 * DAY,
      limit: 10,
      direction: 'forward',
    });
    const times =
      answer.resultType === 'streams'
        ? answer.result.flatMap((s) => s.entries.map((e) => nsToMs(e.timeNs))).sort()
        : [];
    expect(times).toEqual(Array.from({ length: 10 }, (_, i) => START + i * 60_000));
    expect(transport.requests).toHaveLength(1);
  });

  it("adopts Loki's lower max_query_length from its error and splits a minute short of it", async () => {
    const transport = simulatedLoki(DAY);
    const client = new LokiClient(transport); // assumes the default 721h
    const answer = await client.queryRange({
      query: 'sum(rate({a="b"}[5m]))',
      startMs: START,
      endMs: START + 3 * DAY,
      stepMs: HOUR,
    });
    expect(answer.resultType).toBe('matrix');
    // A minute short of the limit (queryRangeCap): 23h windows on the hourly grid.
    expect(client.effectiveMaxQueryLengthMs).toBe(queryRangeCap(DAY));
    expect(transport.requests).toHaveLength(1 + 4);
    expect(answer.resultType === 'matrix' && answer.result[0].values).toHaveLength(73);
  });

  it('lets every request in flight adapt, not only the first to learn the lower limit', async () => {
    const client = new LokiClient(simulatedLoki(DAY));
    const ask = () => client.queryRange({ query: 'sum(rate({a="b"}[5m]))', startMs: START, endMs: START + 3 * DAY, stepMs: HOUR });
    const answers = await Promise.all([ask(), ask(), ask()]);
    expect(answers.map((a) => a.resultType)).toEqual(['matrix', 'matrix', 'matrix']);
  });

  it('reports query-too-long when adapting is switched off', async () => {
    const client = new LokiClient(simulatedLoki(DAY), { adaptToQueryLengthLimit: false });
    await expect(
      client.queryRange({ query: 'sum(x)', startMs: START, endMs: START + 2 * DAY, stepMs: HOUR })
    ).rejects.toMatchObject({
      kind: 'query-too-long',
      limitMs: DAY,
    });
  });
});

describe('LokiClient range splitting, property-based', () => {
  const steps = [60_000, 5 * 60_000, 7 * 60_000, 13 * 60_000, HOUR];
  const limits = [6 * HOUR, DAY, 2.5 * DAY];

  it('a split metric query equals the unsplit evaluation on the same step grid', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 24 * 60 }),
        fc.integer({ min: 1, max: 6 * 24 * 60 }),
        fc.constantFrom(...steps),
        fc.constantFrom(...limits),
        async (offsetMin, lengthMin, step, maxLength) => {
          const startMs = START + offsetMin * 60_000 + 123;
          const endMs = startMs + lengthMin * 60_000;
          const transport = simulatedLoki(maxLength);
          const answer = await new LokiClient(transport, { maxQueryLengthMs: maxLength }).queryRange({
            query: 'sum by (app) (rate({a="b"}[5m]))',
            startMs,
            endMs,
            stepMs: step,
          });
          const grid: number[] = [];
          for (let t = startMs; t <= endMs; t += step) {
            grid.push(t);
          }
          if (answer.resultType !== 'matrix') {
            return false;
          }
          return (
            transport.requests.every((r) => nsToMs(param(r, 'end')) - nsToMs(param(r, 'start')) <= maxLength) &&
            answer.result.length === 2 &&
            answer.result.every(
              (s, i) =>
                s.values.length === grid.length &&
                s.values.every(([t, v], k) => t === grid[k] && v === i * 1000 + (t - START) / 60_000)
            )
          );
        }
      ),
      { numRuns: 40 }
    );
  });

  it('a split log query returns the same lines as one unsplit query would', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 * 24 * 60 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.constantFrom<'forward' | 'backward'>('forward', 'backward'),
        fc.constantFrom(...limits),
        async (lengthMin, limit, direction, maxLength) => {
          const startMs = START + 30_000;
          const endMs = startMs + lengthMin * 60_000;
          const answer = await new LokiClient(simulatedLoki(maxLength), { maxQueryLengthMs: maxLength }).queryRange({
            query: '{a="b"}',
            startMs,
            endMs,
            limit,
            direction,
            stepMs: 60_000,
          });
          const minutes: number[] = [];
          for (let t = Math.ceil(startMs / 60_000) * 60_000; t < endMs; t += 60_000) {
            minutes.push(t);
          }
          const expected = (direction === 'forward' ? minutes : minutes.reverse()).slice(0, limit);
          const got =
            answer.resultType === 'streams' ? answer.result.flatMap((s) => s.entries.map((e) => nsToMs(e.timeNs))) : [];
          const order = direction === 'forward' ? 1 : -1;
          return JSON.stringify(got.sort((a, b) => order * (a - b))) === JSON.stringify(expected);
        }
      ),
      { numRuns: 40 }
    );
  });
});
