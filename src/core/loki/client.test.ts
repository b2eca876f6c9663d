/** @jest-environment node */
import { LokiClient } from './client';
import { parseDurationMs } from './duration';
import { LokiError, LokiMaxEntriesError } from './errors';
import { FakeLokiTransport, readLokiFixture } from './testing/lokiFixtures';
import type { LokiRawResponse, LokiRequest } from './types';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1);

function noWait() {
  const sleeps: number[] = [];
  return { sleeps, retry: { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 } };
}

function param(request: LokiRequest, name: string): string {
  const v = request.params[name];
  if (typeof v !== 'string') {
    throw new Error(`param ${name} is ${JSON.stringify(v)}`);
  }
  return v;
}

async function failure(promise: Promise<unknown>): Promise<LokiError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: LokiError) => error
  );
}

const nsToMs = (ns: string) => Number(BigInt(ns) / BigInt(1_000_000));

describe('LokiClient request building', () => {
  it('queryRange: ns timestamps, explicit step, limit, direction, categorize header', async () => {
    const transport = new FakeLokiTransport().onFixture(
      '/loki/api/v1/query_range',
      'query_range_streams_categorized.json'
    );
    const client = new LokiClient(transport);
    const answer = await client.queryRange({
      query: '{mesh="istio"}',
      startMs: START,
      endMs: START + HOUR,
      stepMs: 60_000,
      limit: 500,
      direction: 'forward',
      categorizeLabels: true,
    });
    expect(answer.resultType).toBe('streams');
    const [sent] = transport.requests;
    expect(sent.params).toEqual({
      query: '{mesh="istio"}',
      start: `${START}000000`,
      end: `${START + HOUR}000000`,
      step: '60s',
      limit: '500',
      direction: 'forward',
    });
    expect(sent.headers).toEqual({ 'X-Loki-Response-Encoding-Flags': 'categorize-labels' });
  });

  it("queryRange without a step sends Loki's default for the range; without limit/direction sends neither", async () => {
    const transport = new FakeLokiTransport().onFixture('/loki/api/v1/query_range', 'query_range_matrix.json');
    await new LokiClient(transport).queryRange({
      query: 'sum(rate({a="b"}[1m]))',
      startMs: START,
      endMs: START + 6 * HOUR,
    });
    const [sent] = transport.requests;
    expect(sent.params.step).toBe('86s'); // floor(21600 / 250)
    expect(sent.params).not.toHaveProperty('limit');
    expect(sent.params).not.toHaveProperty('direction');
    expect(sent.headers).toBeUndefined();
  });

  it('never sends limit=0, an empty query or a reversed range', async () => {
    const transport = new FakeLokiTransport();
    const client = new LokiClient(transport);
    await expect(
      client.queryRange({ query: '{a="b"}', startMs: START, endMs: START + HOUR, limit: 0 })
    ).rejects.toMatchObject({
      kind: 'invalid-request',
      message: expect.stringContaining('limit must be a positive whole number'),
    });
    await expect(client.queryRange({ query: ' ', startMs: START, endMs: START + HOUR })).rejects.toMatchObject({
      kind: 'invalid-request',
    });
    await expect(client.queryRange({ query: '{a="b"}', startMs: START, endMs: START })).rejects.toMatchObject({
      kind: 'invalid-request',
      message: expect.stringContaining('before or when it starts'),
    });
    expect(transport.requests).toHaveLength(0);
  });

  it('times that Loki would misread as seconds are sent as RFC 3339', async () => {
    const transport = new FakeLokiTransport().onFixture('/loki/api/v1/labels', 'labels.json');
    await new LokiClient(transport).labels({ startMs: 0, endMs: 5000 });
    expect(transport.requests[0].params).toEqual({
      start: '1970-01-01T00:00:00.000Z',
      end: '1970-01-01T00:00:05.000Z',
    });
  });

  it('instantQuery sends time in ns and parses a vector', async () => {
    const transport = new FakeLokiTransport().onFixture('/loki/api/v1/query', 'query_vector_special_values.json');
    const answer = await new LokiClient(transport).instantQuery({
      query: 'sum(count_over_time({a="b"}[5m]))',
      timeMs: START,
    });
    expect(transport.requests[0].params).toEqual({
      query: 'sum(count_over_time({a="b"}[5m]))',
      time: `${START}000000`,
    });
    expect(answer.resultType === 'vector' && answer.result.map((s) => s.value)).toEqual([Infinity, -Infinity, NaN]);
  });

  it('metadata endpoints: paths, params and parsed answers', async () => {
    const transport = new FakeLokiTransport()
      .onFixture('/loki/api/v1/labels', 'labels.json')
      .onFixture('/loki/api/v1/label/app%2Fname/values', 'extra/label_values.json')
      .onFixture('/loki/api/v1/series', 'series.json')
      .onFixture('/loki/api/v1/index/stats', 'index_stats.json')
      .onFixture('/loki/api/v1/index/volume', 'volume.json')
      .onFixture('/loki/api/v1/index/volume_range', 'query_range_matrix_gap.json')
      .onFixture('/loki/api/v1/detected_fields', 'detected_fields.json');
    const client = new LokiClient(transport);
    const range = { startMs: START, endMs: START + DAY };
    const ns = { start: `${START}000000`, end: `${START + DAY}000000` };

    expect(await client.labels({ ...range, query: '{mesh="istio"}' })).toEqual(['foo', 'bar', 'baz']);
    expect(transport.requests[0].params).toEqual({ ...ns, query: '{mesh="istio"}' });

    expect(await client.labelValues('app/name', range)).toEqual(['cat', 'dog', 'axolotl']);

    expect(await client.series({ ...range, match: ['{a="1"}', '{b="2"}'] })).toHaveLength(3);
    expect(transport.requests[2].params).toEqual({ ...ns, 'match[]': ['{a="1"}', '{b="2"}'] });

    expect(await client.indexStats({ ...range, query: '{a="1"}' })).toEqual({
      streams: 1,
      chunks: 2,
      bytes: 3,
      entries: 4,
    });

    const volume = await client.volume({
      ...range,
      query: '{a="1"}',
      limit: 10,
      targetLabels: ['service_name', 'namespace'],
      aggregateBy: 'labels',
    });
    expect(volume.resultType).toBe('vector');
    expect(transport.requests[4].params).toEqual({
      ...ns,
      query: '{a="1"}',
      limit: '10',
      targetLabels: 'service_name,namespace',
      aggregateBy: 'labels',
    });

    const volumeRange = await client.volumeRange({ ...range, query: '{a="1"}', stepMs: HOUR });
    expect(volumeRange.resultType).toBe('matrix');
    expect(transport.requests[5].params.step).toBe('3600s');

    const fields = await client.detectedFields({ ...range, query: '{a="1"}', lineLimit: 200, limit: 50 });
    expect(fields.fields.find((f) => f.label === 'pod')?.parsers).toBeNull();
    expect(transport.requests[6].params).toEqual({ ...ns, query: '{a="1"}', line_limit: '200', limit: '50' });
  });

  it('series without a selector and volume without a selector are refused before sending', async () => {
    const transport = new FakeLokiTransport();
    const client = new LokiClient(transport);
    await expect(client.series({ startMs: START, endMs: START + 1, match: [] })).rejects.toMatchObject({
      kind: 'invalid-request',
    });
    await expect(client.volume({ startMs: START, endMs: START + 1, query: '' })).rejects.toMatchObject({
      kind: 'invalid-request',
    });
    expect(transport.requests).toHaveLength(0);
  });
});

describe('LokiClient errors', () => {
  it('a Loki error answer is thrown as its typed error', async () => {
    const transport = new FakeLokiTransport().onFixture('/loki/api/v1/query_range', 'error_400_max_entries.txt');
    const error = await new LokiClient(transport)
      .queryRange({ query: '{a="b"}', startMs: START, endMs: START + HOUR, limit: 10000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LokiMaxEntriesError);
    expect((error as LokiMaxEntriesError).limit).toBe(5000);
  });

  it('a malformed 200 body is a typed error, not a TypeError', async () => {
    const transport = new FakeLokiTransport().on('/loki/api/v1/query_range', {
      status: 200,
      body: '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":3}]}}',
    });
    await expect(
      new LokiClient(transport).queryRange({ query: 'x', startMs: START, endMs: START + HOUR })
    ).rejects.toMatchObject({
      kind: 'malformed-response',
      path: 'data.result[0].values',
    });
  });

  it('a transport failure is a network error', async () => {
    const client = new LokiClient({ request: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3100')) });
    await expect(client.labels({ startMs: START, endMs: START + HOUR })).rejects.toMatchObject({
      kind: 'network',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe('LokiClient retry on 429 too many outstanding requests', () => {
  const outstanding: LokiRawResponse = { status: 429, body: readLokiFixture('error_429_too_many_outstanding.txt') };

  function flaky(failures: number, failure: LokiRawResponse = outstanding) {
    let calls = 0;
    return new FakeLokiTransport().on('/loki/api/v1/labels', () =>
      ++calls <= failures ? failure : { status: 200, body: readLokiFixture('labels.json') }
    );
  }

  it('retries with growing jittered delays and then succeeds', async () => {
    const transport = flaky(3);
    const { sleeps, retry } = noWait();
    const labels = await new LokiClient(transport, { retry: { ...retry, baseDelayMs: 100 } }).labels({
      startMs: START,
      endMs: START + HOUR,
    });
    expect(labels).toEqual(['foo', 'bar', 'baz']);
    expect(transport.requests).toHaveLength(4);
    // cap = 100 * 2^n; delay = cap/2 + random(0.5) * cap/2
    expect(sleeps).toEqual([75, 150, 300]);
  });

  it('gives up after maxRetries and says so', async () => {
    const transport = flaky(10);
    const { sleeps, retry } = noWait();
    const error = await failure(
      new LokiClient(transport, { retry: { ...retry, maxRetries: 2 } }).labels({ startMs: START, endMs: START + HOUR })
    );
    expect(error.kind).toBe('too-many-outstanding');
    expect(error.message).toContain('gave up after 3 attempts');
    expect(transport.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('delays are capped by maxDelayMs', async () => {
    const { sleeps, retry } = noWait();
    await new LokiClient(flaky(4), {
      retry: { ...retry, maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 2000, random: () => 1 },
    }).labels({
      startMs: START,
      endMs: START + HOUR,
    });
    expect(sleeps).toEqual([1000, 2000, 2000, 2000]);
  });

  it('stops when the next pause would pass maxElapsedMs on the injected clock', async () => {
    let clock = 0;
    const sleeps: number[] = [];
    const retry = {
      baseDelayMs: 1000,
      maxRetries: 10,
      maxElapsedMs: 5000,
      random: () => 1,
      now: () => clock,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock += ms;
      },
    };
    const transport = flaky(10);
    await expect(
      new LokiClient(transport, { retry }).labels({ startMs: START, endMs: START + HOUR })
    ).rejects.toMatchObject({
      kind: 'too-many-outstanding',
    });
    // 1000 + 2000 = 3000 elapsed; the next pause (4000) would end at 7000 > 5000.
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('does not retry the ingestion rate limit (a write-path limit) or other errors', async () => {
    const ingestion = { status: 429, body: readLokiFixture('error_429_ingestion_rate_limit.txt') };
    const transport = flaky(1, ingestion);
    const { sleeps, retry } = noWait();
    await expect(
      new LokiClient(transport, { retry }).labels({ startMs: START, endMs: START + HOUR })
    ).rejects.toMatchObject({
      kind: 'ingestion-rate-limit',
    });
    expect(transport.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('an abort during the pause ends the retry loop with an aborted error', async () => {
    const controller = new AbortController();
    const transport = flaky(10);
    const client = new LokiClient(transport, { retry: { baseDelayMs: 60_000 } });
    const pending = client.labels({ startMs: START, endMs: START + HOUR, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('panel closed'));
    await expect(pending).rejects.toMatchObject({ kind: 'aborted', message: expect.stringContaining('panel closed') });
    expect(transport.requests).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const transport = flaky(0);
    const controller = new AbortController();
    controller.abort();
    await expect(
      new LokiClient(transport).labels({ startMs: START, endMs: START + HOUR, signal: controller.signal })
    ).rejects.toMatchObject({
      kind: 'aborted',
    });
    expect(transport.requests).toHaveLength(0);
  });
});

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

  it("adopts Loki's lower max_query_length from its error and splits by it", async () => {
    const transport = simulatedLoki(DAY);
    const client = new LokiClient(transport); // assumes the default 721h
    const answer = await client.queryRange({
      query: 'sum(rate({a="b"}[5m]))',
      startMs: START,
      endMs: START + 3 * DAY,
      stepMs: HOUR,
    });
    expect(answer.resultType).toBe('matrix');
    expect(client.effectiveMaxQueryLengthMs).toBe(DAY);
    expect(transport.requests).toHaveLength(1 + 3);
    expect(answer.resultType === 'matrix' && answer.result[0].values).toHaveLength(73);
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
