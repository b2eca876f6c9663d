/**
 * Parsing a large query_range matrix body: 10,000 series x 60 points, the size of a
 * per-workload rate over an hour at 1-minute steps in a big mesh. Printed beside bare
 * JSON.parse of the same body, whose cost no parser of this format can avoid.
 */
import { parseQueryResponse } from '../src/core/loki/parse/parseQueryResponse';
import { medianMs, report } from './harness';

const SERIES = 10_000;
const POINTS = 60;
const START_S = 1_767_225_600;

function matrixBody(): string {
  const result = [];
  for (let i = 0; i < SERIES; i++) {
    const values: Array<[number, string]> = [];
    for (let j = 0; j < POINTS; j++) {
      // Mix plain, fractional, integral and the special values Loki writes as strings.
      const v = j === 7 ? 'NaN' : j === 13 ? '+Inf' : String(((i * 31 + j * 17) % 1000) / 7);
      values.push([START_S + j * 60 + 0.123, v]);
    }
    result.push({
      metric: {
        cluster: `c${i % 4}`,
        namespace: `ns-${i % 50}`,
        src_workload: `w-${i}`,
        dst_service: `svc-${i % 300}`,
      },
      values,
    });
  }
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
}

const body = matrixBody();
const parsed = parseQueryResponse(body);
if (parsed.resultType !== 'matrix' || parsed.result.length !== SERIES || parsed.result[0].values.length !== POINTS) {
  throw new Error('bench body did not parse to the expected matrix');
}

const jsonMs = medianMs(() => JSON.parse(body));
const parseMs = medianMs(() => parseQueryResponse(body));
const mb = (body.length / 1e6).toFixed(1);
report(`JSON.parse (${SERIES} series x ${POINTS}, ${mb} MB)`, `${jsonMs.toFixed(1)} ms`);
report('parseQueryResponse (validate + convert)', `${parseMs.toFixed(1)} ms`, {
  value: parseMs / jsonMs,
  against: 'JSON.parse',
});
