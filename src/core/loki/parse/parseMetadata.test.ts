/** @jest-environment node */
import { LokiMalformedResponseError } from '../errors';
import { readLokiFixture } from '../../../../test/support/fixtures';
import {
  parseDetectedFieldsResponse,
  parseIndexStatsResponse,
  parseLabelsResponse,
  parseSeriesResponse,
} from './parseMetadata';
import { parseVolumeResponse } from './parseVolume';

describe('metadata parsers on the real fixtures', () => {
  it('labels and label values', () => {
    expect(parseLabelsResponse(readLokiFixture('labels.json'))).toEqual(['foo', 'bar', 'baz']);
    expect(parseLabelsResponse(readLokiFixture('extra/label_values.json'))).toEqual(['cat', 'dog', 'axolotl']);
    expect(parseLabelsResponse('{"status":"success"}')).toEqual([]);
  });

  it('series: flat label maps', () => {
    const series = parseSeriesResponse(readLokiFixture('series.json'));
    expect(series).toHaveLength(3);
    expect(series[0].container_name).toBe('loki');
    expect(series[1]).toMatchObject({ app: 'prometheus', container_name: 'prometheus-server-configmap-reload' });
  });

  it('index/stats: bare object', () => {
    expect(parseIndexStatsResponse(readLokiFixture('index_stats.json'))).toEqual({
      streams: 1,
      chunks: 2,
      bytes: 3,
      entries: 4,
    });
    expect(parseIndexStatsResponse('{"streams":7}')).toEqual({ streams: 7, chunks: 0, bytes: 0, entries: 0 });
  });

  it('detected_fields: null parsers and array jsonPath', () => {
    const detected = parseDetectedFieldsResponse(readLokiFixture('detected_fields.json'));
    expect(detected.limit).toBe(1000);
    const nested = detected.fields.find(
      (f) => f.label === 'nested_object_deeplyNestedObject_extraDeeplyNestedObject_url'
    );
    expect(nested).toEqual({
      label: 'nested_object_deeplyNestedObject_extraDeeplyNestedObject_url',
      type: 'string',
      cardinality: 100,
      parsers: ['json'],
      jsonPath: ['nested_object', 'deeplyNestedObject', 'extraDeeplyNestedObject', 'url'],
    });
    const pod = detected.fields.find((f) => f.label === 'pod');
    expect(pod).toEqual({ label: 'pod', type: 'string', cardinality: 8, parsers: null });
    expect(detected.fields.find((f) => f.label === 'bytes')?.type).toBe('bytes');
  });

  it('volume: Prometheus-style vector of bytes, sorted as Loki sent it', () => {
    const volume = parseVolumeResponse(readLokiFixture('volume.json'));
    if (volume.resultType !== 'vector') {
      throw new Error(volume.resultType);
    }
    expect(volume.result).toHaveLength(10);
    expect(volume.result[0]).toEqual({
      metric: { service_name: 'tempo-distributor' },
      timeMs: 1722536046066,
      value: 53826521,
    });
    expect(volume.result.map((s) => s.value)).toEqual([...volume.result.map((s) => s.value)].sort((a, b) => b - a));
  });

  it('volume_range may be a matrix', () => {
    const volume = parseVolumeResponse(readLokiFixture('query_range_matrix_gap.json'));
    expect(volume.resultType).toBe('matrix');
  });
});

describe('metadata parsers on malformed bodies', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['labels data not strings', () => parseLabelsResponse('{"status":"success","data":[1]}'), 'data[0]'],
    ['series item not a map', () => parseSeriesResponse('{"status":"success","data":["a"]}'), 'data[0]'],
    ['index stats empty object', () => parseIndexStatsResponse('{}'), '(body)'],
    ['index stats string number', () => parseIndexStatsResponse('{"streams":"1"}'), 'streams'],
    [
      'detected field without label',
      () => parseDetectedFieldsResponse('{"fields":[{"type":"int"}]}'),
      'fields[0].label',
    ],
    [
      'internal querier volume body',
      () => parseVolumeResponse(readLokiFixture('extra/volume_querier_internal.json')),
      '(body)',
    ],
    [
      'streams where volume expected',
      () => parseVolumeResponse(readLokiFixture('query_range_streams.json')),
      'data.resultType',
    ],
  ];
  it.each(cases)('%s', (_, run, path) => {
    expect(run).toThrow(LokiMalformedResponseError);
    try {
      run();
    } catch (error) {
      expect((error as LokiMalformedResponseError).path).toBe(path);
    }
  });

  it('the internal volume body gets advice about where to point the client', () => {
    expect(() => parseVolumeResponse(readLokiFixture('extra/volume_querier_internal.json'))).toThrow(/query frontend/);
  });
});
