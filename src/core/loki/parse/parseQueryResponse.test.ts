/** @jest-environment node */
import { LokiMalformedResponseError } from '../errors';
import { readLokiFixture } from '../../../../test/support/fixtures';
import type { QueryResponse } from '../types';
import { parseQueryResponse } from './parseQueryResponse';

function parse(name: string): QueryResponse {
  return parseQueryResponse(readLokiFixture(name));
}

function malformed(body: string): LokiMalformedResponseError {
  try {
    parseQueryResponse(body);
  } catch (error) {
    expect(error).toBeInstanceOf(LokiMalformedResponseError);
    return error as LokiMalformedResponseError;
  }
  throw new Error('expected a malformed-response error');
}

describe('parseQueryResponse: streams', () => {
  it('uncategorized 2-tuples: labels as merged by Loki, exact ns strings, empty SM/parsed', () => {
    const r = parse('query_range_streams.json');
    if (r.resultType !== 'streams') {
      throw new Error(r.resultType);
    }
    expect(r.result).toHaveLength(3);
    expect(r.result[2].labels).toEqual({ test: 'test', foo: 'a', bar: 'b', msg: 'baz' });
    expect(r.result[2].entries).toEqual([
      { timeNs: '123456789012346', line: 'super line with labels msg=baz', structuredMetadata: {}, parsed: {} },
    ]);
    expect(r.warnings).toEqual([]);
    expect(r.encodingFlags).toBeUndefined();
    expect(r.stats?.totalLinesProcessed).toBe(0);
  });

  it('categorized 3-tuples: {} and structuredMetadata / parsed maps', () => {
    const r = parse('query_range_streams_categorized.json');
    if (r.resultType !== 'streams') {
      throw new Error(r.resultType);
    }
    expect(r.encodingFlags).toEqual(['categorize-labels']);
    expect(r.result[0].entries[0].structuredMetadata).toEqual({});
    expect(r.result[0].entries[0].parsed).toEqual({});
    expect(r.result[1].entries[0].structuredMetadata).toEqual({ foo: 'a', bar: 'b' });
    expect(r.result[1].entries[0].parsed).toEqual({});
    expect(r.result[2].entries[0]).toEqual({
      timeNs: '123456789012346',
      line: 'super line with labels msg=baz',
      structuredMetadata: { foo: 'a', bar: 'b' },
      parsed: { msg: 'baz' },
    });
  });

  it("Grafana's categorized capture: quotes, emoji, duplicates and 19-digit ns kept exactly", () => {
    const r = parse('query_range_streams_categorized_grafana.json');
    if (r.resultType !== 'streams') {
      throw new Error(r.resultType);
    }
    expect(r.result[0].labels).toEqual({ code: 'one",', location: 'moon🌙' });
    const times = r.result[1].entries.map((e) => e.timeNs);
    // 1645030246277587968 is not representable as a double; the string must survive untouched.
    expect(times).toEqual([
      '1645030247027735040',
      '1645030246277587968',
      '1645030246277587968',
      '1645030245539423744',
      '1645030244091700992',
    ]);
    expect(Number(times[1]).toString()).not.toBe(times[1]);
    expect(r.stats).toEqual({
      bytesProcessedPerSecond: 3507022,
      linesProcessedPerSecond: 24818,
      totalBytesProcessed: 7772,
      totalLinesProcessed: 55,
      execTime: 0.002216125,
    });
  });

  it('parsed-only categories from a | json query', () => {
    const r = parse('query_range_streams_parsed_grafana.json');
    if (r.resultType !== 'streams') {
      throw new Error(r.resultType);
    }
    expect(r.result[0].labels).toEqual({ code: '",two', location: 'moon🌙' });
    expect(r.result[0].entries.map((e) => e.parsed)).toEqual([{ field2: 'two' }, { field1: 'one' }, { field1: 'one' }]);
    expect(r.result[0].entries[0].structuredMetadata).toEqual({});
  });

  it('__error__ stays a stream label in uncategorized answers', () => {
    const r = parse('query_range_streams_error_label.json');
    if (r.resultType !== 'streams') {
      throw new Error(r.resultType);
    }
    expect(r.result[0].labels.__error__).toBe('LogfmtParserErr');
    expect(r.result[0].entries.map((e) => e.line)).toEqual(['"hello1', '"hello4']);
  });
});

describe('parseQueryResponse: samples', () => {
  it('matrix: seconds become ms, values numbers, top-level warnings kept', () => {
    const r = parse('query_range_matrix.json');
    if (r.resultType !== 'matrix') {
      throw new Error(r.resultType);
    }
    expect(r.warnings).toEqual(['this is a warning']);
    expect(r.result[1]).toEqual({
      metric: { filename: '/var/hostlog/syslog', job: 'varlogs' },
      values: [
        [1568404331324, 3.45],
        [1568404331339, 4.45],
      ],
    });
    expect(r.result[0].values[0][1]).toBeCloseTo(0.013333333333333334, 15);
  });

  it('matrix with gaps: missing steps stay missing, empty metric allowed', () => {
    const r = parse('query_range_matrix_gap.json');
    if (r.resultType !== 'matrix') {
      throw new Error(r.resultType);
    }
    expect(r.result[0].metric).toEqual({});
    const times = r.result[0].values.map(([t]) => t);
    expect(times).toEqual([1643014453815, 1643014753815, 1643015053815, 1643016853815, 1643017153815, 1643017453815]);
    // 5-minute steps, with the 6 steps between 1643015053.815 and 1643016853.815 absent.
    expect(times[3] - times[2]).toBe(6 * 300_000);
    expect(r.result[0].values.some(([, v]) => Number.isNaN(v))).toBe(false);
    expect(r.stats).toBeUndefined();
  });

  it('matrix NaN values and legacy stats', () => {
    const nan = parse('extra/query_range_matrix_nan.json');
    if (nan.resultType !== 'matrix') {
      throw new Error(nan.resultType);
    }
    expect(nan.result[0].values.every(([, v]) => Number.isNaN(v))).toBe(true);
    const legacy = parse('extra/query_range_matrix_stats_legacy.json');
    expect(legacy.resultType).toBe('matrix');
    expect(legacy.stats?.execTime).toBe(0.002216125);
  });

  it('vector, vector with +Inf/-Inf/NaN, docs vector with integer time and empty metric', () => {
    const v = parse('query_vector.json');
    if (v.resultType !== 'vector') {
      throw new Error(v.resultType);
    }
    expect(v.result[1]).toEqual({
      metric: { filename: '/var/hostlog/syslog', job: 'varlogs' },
      timeMs: 1568404331324,
      value: 3.45,
    });
    const special = parse('query_vector_special_values.json');
    if (special.resultType !== 'vector') {
      throw new Error(special.resultType);
    }
    expect(special.result.map((s) => s.value)).toEqual([Infinity, -Infinity, NaN]);
    expect(special.result[0].timeMs).toBe(1645029699000);
    const docs = parse('extra/query_vector_docs.json');
    if (docs.resultType !== 'vector') {
      throw new Error(docs.resultType);
    }
    expect(docs.result[0].metric).toEqual({});
    expect(docs.result[0].value).toBeCloseTo(1267.1266666666666, 10);
  });

  it('scalar is a single pair', () => {
    const r = parse('query_scalar.json');
    expect(r).toMatchObject({ resultType: 'scalar', result: { timeMs: 1000, value: 0.003333333333 } });
    expect(r.stats?.splits).toBe(1);
  });

  it('warnings-only body without data is an explicit empty result', () => {
    expect(parse('extra/response_warnings_only.json')).toEqual({
      resultType: 'empty',
      result: [],
      warnings: ['Some logs may have been dropped by Adaptive Logs sampling'],
    });
  });
});

describe('parseQueryResponse: malformed bodies are typed errors that say where', () => {
  it('truncated JSON', () => {
    const body = readLokiFixture('query_range_matrix.json').slice(0, 200);
    const error = malformed(body);
    expect(error.kind).toBe('malformed-response');
    expect(error.message).toMatch(/not valid JSON .*truncated/);
    expect(error.body).toBe(body);
  });

  it('an HTML page served with 200', () => {
    const error = malformed('<!DOCTYPE html><html><head><title>Grafana</title></head><body></body></html>');
    expect(error.message).toContain('HTML page ("Grafana")');
    expect(error.message).toContain('points at Loki');
  });

  it('empty body, non-object body, error status', () => {
    expect(malformed('').message).toContain('empty');
    expect(malformed('[1,2]').message).toContain('(body) should be an object');
    expect(malformed('{"status":"error","error":"boom"}').message).toContain('"error" instead of "success": boom');
    expect(malformed('{"status":"success"}').path).toBe('data');
  });

  it('unknown resultType', () => {
    const error = malformed('{"status":"success","data":{"resultType":"histogram","result":[]}}');
    expect(error.path).toBe('data.resultType');
    expect(error.message).toContain('"histogram"');
  });

  it('values that are not arrays, bad tuples, bad timestamps, bad sample values', () => {
    const matrix = (values: unknown) =>
      JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } });
    expect(malformed(matrix('nope')).path).toBe('data.result[0].values');
    expect(malformed(matrix([[1, '1'], [2]])).path).toBe('data.result[0].values[1]');
    expect(malformed(matrix([['1', '1']])).path).toBe('data.result[0].values[0][0]');
    const badValue = malformed(matrix([[1, 'abc']]));
    expect(badValue.path).toBe('data.result[0].values[0][1]');
    expect(badValue.message).toContain('"abc"');
    expect(malformed(matrix([[1, ' ']])).path).toBe('data.result[0].values[0][1]');
    expect(malformed(matrix([[1, 2]])).path).toBe('data.result[0].values[0][1]');

    const streams = (values: unknown, stream: unknown = { a: 'b' }) =>
      JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [{ stream, values }] } });
    // A number timestamp would already have lost nanosecond precision in JSON.parse.
    expect(malformed(streams([[1645030246277587968, 'x']])).message).toContain('nanosecond timestamp string');
    expect(malformed(streams([['12', 'x', 'meta']])).path).toBe('data.result[0].values[0][2]');
    expect(malformed(streams([['12', 'x', { structuredMetadata: { k: 1 } }]])).path).toBe(
      'data.result[0].values[0][2].structuredMetadata.k'
    );
    expect(malformed(streams([['12', 'x']], { a: null })).path).toBe('data.result[0].stream.a');
    expect(malformed(streams({})).path).toBe('data.result[0].values');
  });

  it('carries the HTTP status it was given', () => {
    try {
      parseQueryResponse('{', 206);
    } catch (error) {
      expect((error as LokiMalformedResponseError).status).toBe(206);
    }
    expect.assertions(1);
  });
});
