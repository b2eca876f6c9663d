/**
 * Parses /index/volume and /index/volume_range. The query frontend answers Prometheus-style:
 * `vector` for volume, `matrix` for volume_range, but `vector` again when the range holds a single
 * step bucket. Values are bytes. A querier hit directly answers its internal `{limit, volumes}`
 * body instead; that is reported as a misconfiguration, not guessed at.
 */
import type { QueryResponse } from '../types';
import { BodyReader } from './body';
import { parseQueryResponse } from './parseQueryResponse';

export type VolumeResponse = Extract<QueryResponse, { resultType: 'vector' | 'matrix' | 'empty' }>;

export function parseVolumeResponse(body: string, status = 200): VolumeResponse {
  const reader = new BodyReader(body, status, 'an index/volume response');
  const root = reader.json();
  if (root && typeof root === 'object' && 'volumes' in root && !('data' in root)) {
    reader.fail(
      '(body)',
      "is a querier's internal volume body ({limit, volumes}); point the client at the query frontend " +
        'or the single-binary HTTP port, which answer in the Prometheus format'
    );
  }
  const parsed = parseQueryResponse(body, status);
  if (parsed.resultType === 'streams' || parsed.resultType === 'scalar') {
    reader.fail('data.resultType', `is "${parsed.resultType}"; a volume answer is "vector" or "matrix"`);
  }
  return parsed as VolumeResponse;
}
