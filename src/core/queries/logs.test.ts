/** @jest-environment node */
import { checkLogqlSyntax } from '../logql/validate';
import { decodedStrings, parseLogql } from '../../../test/support/logql';
import { DEFAULT_POLICY } from '../policy';
import { queryContext } from './context';
import { buildLogsQueries, MAX_LOG_LIMIT } from './logs';

const POLICY = { ...DEFAULT_POLICY, strictMtlsNamespaces: ['payments'] };

describe('buildLogsQueries', () => {
  it('drills into an edge with both ends as escaped label filters', () => {
    const [q] = buildLogsQueries({ namespace: ['shop'] }, { srcWorkload: 'frontend', dstService: 'check"out', limit: 200 }, POLICY, queryContext());
    expect(q).toEqual({
      name: 'edge',
      // A value a JSON encoder may escape gets no line prefilter; the label filter decides alone.
      expr: '{log_type="access", namespace="shop"} |~ "\\"src_workload\\":\\\\s*\\"frontend\\"" | json | src_workload="frontend" and dst_service="check\\"out" | __error__=""',
      limit: 200,
    });
    expect(checkLogqlSyntax(q.expr)).toBeNull();
    expect(parseLogql(q.expr).nodes).not.toContain('MetricExpr');
  });

  it('drills into one node and applies the service filter to either side', () => {
    const [q] = buildLogsQueries({ service: ['a', 'b'] }, { dstService: 'ledger', limit: 10 }, POLICY, queryContext());
    expect(q.name).toBe('node');
    expect(q.expr).toBe('{log_type="access"} |~ "\\"dst_service\\":\\\\s*\\"ledger\\"" | json | dst_service="ledger" | dst_service=~"a|b" or src_workload=~"a|b" | __error__=""');
    expect(checkLogqlSyntax(q.expr)).toBeNull();
    expect(decodedStrings(q.expr)).toEqual(['access', '"dst_service":\\s*"ledger"', 'ledger', 'a|b', 'a|b', '']);
  });

  it('returns a control evidence population', () => {
    const [q] = buildLogsQueries({}, { controlId: 'CC6.7-mtls', limit: 100 }, POLICY, queryContext());
    expect(q.name).toBe('CC6.7-mtls/logs');
    expect(q.expr).toBe('{log_type="access"} |~ "\\"dst_namespace\\":\\\\s*\\"payments\\"" | json | dst_namespace="payments" and direction!="outbound" and mtls!="mtls" | __error__=""');
    expect(() => buildLogsQueries({}, { controlId: 'x', limit: 1 }, POLICY, queryContext())).toThrow(/unknown control "x"/);
  });

  it('checks the limit against Loki max entries', () => {
    for (const limit of [0, -1, 1.5, MAX_LOG_LIMIT + 1, NaN]) {
      expect(() => buildLogsQueries({}, { limit }, POLICY, queryContext())).toThrow(/log limit must be a whole number from 1 to 5000/);
    }
    expect(buildLogsQueries({}, { limit: MAX_LOG_LIMIT }, POLICY, queryContext())[0].limit).toBe(5000);
  });
});
