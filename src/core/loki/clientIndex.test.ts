/** @jest-environment node */
import { LokiClient } from './client';
import { LokiMalformedResponseError, LokiQueryTooLongError } from './errors';
import { parseTenantLimitsResponse } from './parse/parseLimits';
import { FakeLokiTransport } from '../../../test/support/fakeLoki';
import type { LokiRequest } from './types';

const DAY = 86_400_000;
const START = Date.UTC(2025, 9, 1);
const nsToMs = (v: unknown) => Number(BigInt(String(v)) / BigInt(1_000_000));

/**
 * A volume_range stand-in: one series with a point stamped at each day bucket's end, as Loki 3.7.3
 * stamps them (the recorded real answers in test/fixtures/loki-recorded/retention-index.json are
 * replayed through the whole data source elsewhere); refuses ranges longer than `limitDays`.
 */
function volumeLoki(limitDays: number) {
  return new FakeLokiTransport().on('/loki/api/v1/index/volume_range', (r: LokiRequest) => {
    const start = nsToMs(r.params.start);
    const end = nsToMs(r.params.end);
    if (end - start > limitDays * DAY) {
      return {
        status: 400,
        body: `the query time range exceeds the limit (query length: ${(end - start) / 3_600_000}h0m0s, limit: ${limitDays}d)`,
      };
    }
    const values: Array<[number, string]> = [];
    for (let t = start; t < end; t += DAY) {
      values.push([(t + DAY - 1) / 1000, '1024']);
    }
    return {
      status: 200,
      body: JSON.stringify({
        status: 'success',
        data: { resultType: 'matrix', result: [{ metric: { log_type: 'access' }, values }] },
      }),
    };
  });
}

describe('LokiClient.volumeRangeSplit', () => {
  const params = {
    query: '{log_type="access"}',
    startMs: START,
    endMs: START + 400 * DAY,
    stepMs: DAY,
    targetLabels: ['log_type'],
    aggregateBy: 'series' as const,
  };

  it('splits 400 days into windows of max_query_length on whole days and merges one matrix', async () => {
    const transport = volumeLoki(30);
    const answer = await new LokiClient(transport, { maxQueryLengthMs: 30 * DAY }).volumeRangeSplit(params);
    expect(answer.requests).toBe(14);
    expect(transport.requests).toHaveLength(14);
    expect(
      transport.requests.every(
        (r) => r.params.step === '86400s' && r.params.targetLabels === 'log_type' && r.params.aggregateBy === 'series'
      )
    ).toBe(true);
    expect(answer.series).toHaveLength(1);
    const days = answer.series[0].values.map(([t]) => Math.floor(t / DAY) * DAY);
    expect(days).toEqual(Array.from({ length: 400 }, (_, i) => START + i * DAY));
  });

  it("uses the max_query_length Loki published over the client's own", async () => {
    const transport = volumeLoki(366);
    const answer = await new LokiClient(transport).volumeRangeSplit({ ...params, maxQueryLengthMs: 366 * DAY });
    expect(answer.requests).toBe(2);
  });

  it('adopts the limit from a query-too-long answer and splits again; a second refusal is a typed error', async () => {
    const transport = volumeLoki(100);
    const answer = await new LokiClient(transport, { maxQueryLengthMs: 0 }).volumeRangeSplit(params);
    expect(answer.requests).toBe(4);
    expect(transport.requests).toHaveLength(5);
    await expect(
      new LokiClient(volumeLoki(100), { adaptToQueryLengthLimit: false, maxQueryLengthMs: 0 }).volumeRangeSplit(params)
    ).rejects.toBeInstanceOf(LokiQueryTooLongError);
  });

  it('turns a single-bucket vector answer into a one-point series', async () => {
    const transport = new FakeLokiTransport().on('/loki/api/v1/index/volume_range', {
      status: 200,
      body: JSON.stringify({
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: { a: 'b' }, value: [START / 1000 + 86399.999, '5'] }] },
      }),
    });
    const answer = await new LokiClient(transport).volumeRangeSplit({ ...params, endMs: START + DAY });
    expect(answer.series).toEqual([{ metric: { a: 'b' }, values: [[START + DAY - 1, 5]] }]);
  });
});

describe('LokiClient.drilldownLimits', () => {
  it('reads the tenant limits Loki publishes', async () => {
    const body = JSON.stringify({
      limits: {
        retention_period: '31d',
        retention_stream: [{ period: '1y', priority: 1, selector: '{a="b"}' }],
        max_query_length: '366d',
        volume_enabled: true,
        volume_max_series: 1000,
      },
      pattern_ingester_enabled: false,
      version: '3.7.3',
    });
    const transport = new FakeLokiTransport().on('/loki/api/v1/drilldown-limits', { status: 200, body });
    const limits = await new LokiClient(transport).drilldownLimits();
    expect(limits).toMatchObject({
      maxQueryLengthMs: 366 * DAY,
      volumeEnabled: true,
      volumeMaxSeries: 1000,
      version: '3.7.3',
    });
    expect(limits.limits.retention_period).toBe('31d');
  });

  it.each([
    ['{}', /limits should be an object/],
    ['{"limits": {"max_query_length": "long"}}', /limits\.max_query_length is "long", not a duration/],
    ['{"limits": {"volume_enabled": "yes"}}', /volume_enabled should be true or false/],
    ['not json', /not valid JSON/],
  ])('says what is wrong with %s', (body, message) => {
    expect(() => parseTenantLimitsResponse(body)).toThrow(LokiMalformedResponseError);
    expect(() => parseTenantLimitsResponse(body)).toThrow(message);
  });
});

describe('volume_max_series', () => {
  it("is a typed max-series error that names volume_max_series, not a server fault to retry (Loki 3.7.3's answer)", async () => {
    const transport = new FakeLokiTransport().on('/loki/api/v1/index/volume_range', {
      status: 500,
      body: 'rpc error: code = Unknown desc = the query hit the max number of series limit (limit: 2 series)',
    });
    const error = await new LokiClient(transport)
      .volumeRangeSplit({ query: '{a="b"}', startMs: START, endMs: START + DAY, stepMs: DAY })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'max-series', limit: 2 });
    expect((error as Error).message).toContain('volume_max_series (2)');
    expect(transport.requests).toHaveLength(1);
  });
});
