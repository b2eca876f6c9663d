/** @jest-environment node */
import { parseQueryResponse } from '../../core/loki/parse/parseQueryResponse';
import { samplesOf } from './samples';
import { readLokiFixture } from '../../../test/support/fixtures';

const parse = (name: string) => parseQueryResponse(readLokiFixture(name));

describe('samplesOf', () => {
  it('reads a vector as is', () => {
    const samples = samplesOf(parse('query_vector.json'), 'requests');
    expect(samples.map((s) => s.value)).toEqual([0.013333333333333334, 3.45]);
    expect(samples[0].metric).toEqual({ filename: '/var/hostlog/apport.log', job: 'varlogs' });
  });

  it('takes the last point of each matrix series', () => {
    const response = parse('query_range_matrix.json');
    if (response.resultType !== 'matrix') {
      throw new Error('fixture is not a matrix');
    }
    const samples = samplesOf(response, 'requests');
    expect(samples).toHaveLength(response.result.filter((s) => s.values.length > 0).length);
    samples.forEach((s, i) => {
      const last = response.result[i].values[response.result[i].values.length - 1];
      expect([s.timeMs, s.value]).toEqual(last);
    });
  });

  it('refuses log streams where numbers were expected', () => {
    expect(() => samplesOf(parse('query_range_streams.json'), 'errors')).toThrow('"errors" query returned log lines');
  });
});
