/** @jest-environment node */
import { LokiClient } from './client';
import { LokiError, LokiMaxEntriesError } from './errors';
import { FakeLokiTransport } from '../../../test/support/fakeLoki';
import { readLokiFixture } from '../../../test/support/fixtures';
import type { LokiRawResponse } from './types';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1);

function noWait() {
  const sleeps: number[] = [];
  return { sleeps, retry: { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 } };
}

async function failure(promise: Promise<unknown>): Promise<LokiError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: LokiError) => error
  );
}

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

  it('asks Loki to bypass its results cache for evidence queries, and only for them', async () => {
    const transport = new FakeLokiTransport()
      .onFixture('/loki/api/v1/query_range', 'query_range_streams.json')
      .onFixture('/loki/api/v1/query', 'query_vector.json');
    const client = new LokiClient(transport);
    await client.queryRange({ query: '{a="b"}', startMs: START, endMs: START + HOUR, noCache: true, categorizeLabels: true });
    await client.instantQuery({ query: 'sum(count_over_time({a="b"}[1h]))', timeMs: START, noCache: true });
    await client.instantQuery({ query: 'sum(count_over_time({a="b"}[1h]))', timeMs: START });
    expect(transport.requests.map((r) => r.headers)).toEqual([
      { 'X-Loki-Response-Encoding-Flags': 'categorize-labels', 'Cache-Control': 'no-cache' },
      { 'Cache-Control': 'no-cache' },
      undefined,
    ]);
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
