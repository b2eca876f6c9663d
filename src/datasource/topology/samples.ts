import type { QueryResponse, VectorSample } from '../../core/loki/types';

/**
 * The samples of a metric query's answer. An instant query gives a vector; a matrix (if Loki or a
 * proxy answered a range query) contributes each series' last point. Log streams are a mistake in
 * the query, reported rather than read as zero traffic.
 */
export function samplesOf(response: QueryResponse, queryName: string): VectorSample[] {
  switch (response.resultType) {
    case 'vector':
      return response.result;
    case 'matrix':
      return response.result
        .filter((s) => s.values.length > 0)
        .map((s) => {
          const [timeMs, value] = s.values[s.values.length - 1];
          return { metric: s.metric, timeMs, value };
        });
    case 'empty':
      return [];
    case 'scalar':
      return [{ metric: {}, timeMs: response.result.timeMs, value: response.result.value }];
    case 'streams':
      throw new Error(`The "${queryName}" query returned log lines instead of numbers; it must be a metric query.`);
  }
}
