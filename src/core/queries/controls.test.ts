/** @jest-environment node */
import { CONTROL_IDS } from '../controls';
import { MS } from '../logql';
import { checkLogqlSyntax } from '../logql/validate';
import { decodedStrings, parseLogql } from '../../../test/support/logql';
import { DEFAULT_POLICY, type LoggingPolicy } from '../policy';
import { PROFILE_NAMES } from '../schema';
import { queryContext } from './context';
import { buildControlQueries, PROFILE_LABEL } from './controls';

const POLICY: LoggingPolicy = {
  ...DEFAULT_POLICY,
  strictMtlsNamespaces: ['payments', 'identity'],
  requiredServices: ['checkout', 'ledger', 'checkout'],
  allowedCallers: { 'payments-api': ['checkout', 'orders-api'], ledger: ['payments-api'] },
};

describe('buildControlQueries', () => {
  it('builds one parsing metric query and evidence log query per catalog control', () => {
    const queries = buildControlQueries([], {}, 90 * MS.d, POLICY, queryContext());
    expect(queries.map((q) => q.controlId)).toEqual(CONTROL_IDS);
    // In scope without a LogQL measure: the data source judges them from Loki's index or each service's baseline.
    expect(queries.filter((q) => q.judgedBy).map((q) => [q.controlId, q.judgedBy, q.expr, q.newest])).toEqual([
      ['CC7.2-baseline-anomalies', 'anomalies', null, []],
      ['C1.1-retention-kept', 'retention', null, []],
      ['C1.2-retention-disposed', 'retention', null, []],
    ]);
    for (const q of queries.filter((c) => !c.judgedBy)) {
      expect(q.expr).not.toBeNull();
      expect(checkLogqlSyntax(q.expr!)).toBeNull();
      // CC7.1's evidence is its table of new edges, not lines.
      expect(q.newest).toHaveLength(q.edges ? 0 : 1);
      if (q.newest.length === 0) {
        expect(checkLogqlSyntax(q.edges!.list)).toBeNull();
        expect(checkLogqlSyntax(q.edges!.baseline)).toBeNull();
        continue;
      }
      expect(checkLogqlSyntax(q.newest[0].expr)).toBeNull();
      expect(parseLogql(q.newest[0].expr).nodes).not.toContain('MetricExpr');
    }
    // Denied requests, not lines: per callee the larger of its two sides, plus lines of neither side;
    // no value at all without traffic.
    const denials = queries.find((q) => q.controlId === 'CC6.1-authz-denials')!;
    const deny = '{log_type="access"} |~ "\\"authz\\":\\\\s*\\"deny\\""';
    const sided = `sum by (dst_service, dst_namespace, cluster, direction) (count_over_time(${deny} |~ "\\"direction\\":\\\\s*\\"(?:inbound|outbound)\\"" | json authz, direction, dst_namespace, dst_service | authz="deny" and direction=~"inbound|outbound" | __error__="" [90d]))`;
    const undirected = `sum(count_over_time(${deny} | json authz, direction | authz="deny" and direction!="inbound" and direction!="outbound" | __error__="" [90d]))`;
    const traffic = 'sum(count_over_time({log_type="access"} | json | __error__="" [90d]))';
    expect(denials.expr).toBe(`((sum(max by (dst_service, dst_namespace, cluster) (${sided})) or vector(0)) + (${undirected} or vector(0))) and ${traffic}`);
  });

  it('measures the mTLS share in strict namespaces, zero-filled so no mTLS reads 0 not "no data"', () => {
    const [q] = buildControlQueries(['CC6.7-mtls'], {}, 90 * MS.d, POLICY, queryContext());
    const strict = '|~ "\\"dst_namespace\\":\\\\s*\\"(?:payments|identity)\\""';
    const scoped = `sum(count_over_time({log_type="access"} ${strict} | json direction, dst_namespace | dst_namespace=~"payments|identity" and direction!="outbound" | __error__="" [90d]))`;
    const matched = `sum(count_over_time({log_type="access"} ${strict} |~ "\\"mtls\\":\\\\s*\\"mtls\\"" | json direction, dst_namespace, mtls | dst_namespace=~"payments|identity" and direction!="outbound" and mtls="mtls" | __error__="" [90d]))`;
    expect(q.expr).toBe(`(${matched} or (${scoped} * 0)) / ${scoped}`);
    expect(q.newest[0].expr).toBe(`{log_type="access"} ${strict} | json direction, dst_namespace, mtls | dst_namespace=~"payments|identity" and direction!="outbound" and mtls!="mtls" | __error__=""`);
  });

  it('measures the worst per-service 5xx share among HTTP responses', () => {
    const [q] = buildControlQueries(['CC7.2-error-anomaly'], {}, MS.d, POLICY, queryContext());
    expect(q.expr).toMatch(/^max\(\(sum by \(dst_service\) \(count_over_time\(.* \| status > 0 and status >= 500 \| /);
    const scoped = 'sum by (dst_service) (count_over_time({log_type="access"} | json dst_service, status | status > 0 | __error__="" [1d]))';
    expect(q.expr).toContain(` / ${scoped})`);
    // Only the 5xx count gets a line prefilter: `status > 0` cannot be told from the line's text.
    expect(q.expr).toContain('sum by (dst_service) (count_over_time({log_type="access"} |~ "\\"status\\":\\\\s*\\"?0*(?:[5-9][0-9]{2}|[1-9][0-9]{3,})" | json dst_service, status | status > 0 and status >= 500 | __error__="" [1d]))');
  });

  it('checks coverage of the distinct required services over the silence window, 0 when all are silent', () => {
    const [q] = buildControlQueries(['CC7.2-log-coverage'], {}, 90 * MS.d, POLICY, queryContext());
    expect(q.expr).toBe(
      '(count(sum by (dst_service) (count_over_time({log_type="access"} |~ "\\"dst_service\\":\\\\s*\\"(?:checkout|ledger)\\"" | json direction, dst_service | dst_service=~"checkout|ledger" and direction!="outbound" | __error__="" [1h]))) or vector(0)) / 2'
    );
  });

  it('reports out-of-scope controls instead of querying with an empty list', () => {
    const queries = buildControlQueries(['CC6.7-mtls', 'CC7.2-log-coverage', 'CC6.1-authz-denials'], {}, MS.d, DEFAULT_POLICY, queryContext());
    expect(queries[0]).toEqual({
      controlId: 'CC6.7-mtls',
      expr: null,
      reason: 'policy.strictMtlsNamespaces is empty, so CC6.7-mtls has nothing in scope',
      newest: [],
    });
    expect(queries[1].expr).toBeNull();
    expect(queries[1].reason).toMatch(/policy.requiredServices is empty/);
    expect(queries[2].expr).not.toBeNull();
  });

  it('rejects unknown control ids, listing the valid ones', () => {
    expect(() => buildControlQueries(['CC6.7-mtls', 'nope'], {}, MS.d, POLICY, queryContext())).toThrow(
      `unknown control "nope"; valid ids: ${CONTROL_IDS.join(', ')}`
    );
  });

  it('escapes policy values and filters', () => {
    const hostile = 'pay"}) or vector(1) #';
    const policy = { ...POLICY, strictMtlsNamespaces: [hostile, 'b.c'] };
    const [q] = buildControlQueries(['CC6.7-mtls'], { namespace: [hostile] }, MS.d, policy, queryContext());
    expect(checkLogqlSyntax(q.expr!)).toBeNull();
    const strings = decodedStrings(q.expr!);
    // Three counts (matched, scoped twice), each with the stream matcher and the policy regex.
    expect(strings.filter((s) => s === hostile)).toHaveLength(3);
    expect(strings.filter((s) => s === 'pay"\\}\\) or vector\\(1\\) #|b\\.c')).toHaveLength(3);
    expect(parseLogql(q.expr!).nodes.filter((n) => n === 'VectorExpr')).toHaveLength(0);
  });

  it('combines raw profiles inside LogQL so a share stays one ratio', () => {
    const ctx = queryContext({
      source: { kind: 'raw', profiles: ['istio-json', 'envoy-json'] },
      profileStages: { 'istio-json': { mesh: 'istio', logqlStage: '| json' }, 'envoy-json': { mesh: 'envoy', logqlStage: '| json' } },
    });
    const [q] = buildControlQueries(['CC6.7-mtls'], {}, MS.d, POLICY, ctx);
    expect(checkLogqlSyntax(q.expr!)).toBeNull();
    expect(q.expr).toContain(`label_replace(sum(count_over_time({log_type="access", mesh="istio"} | json |`);
    expect(q.expr).toContain(`"${PROFILE_LABEL}", "envoy-json", "", "")`);
    expect(q.newest.map((l) => l.profile)).toEqual(['istio-json', 'envoy-json']);
  });

  it('builds parsing control queries over every real raw profile at once', () => {
    const ctx = queryContext({ source: { kind: 'raw', profiles: [...PROFILE_NAMES] } });
    for (const q of buildControlQueries([], { cluster: ['c1'] }, MS.d, POLICY, ctx).filter((c) => !c.judgedBy)) {
      expect({ id: q.controlId, problem: checkLogqlSyntax(q.expr!) }).toEqual({ id: q.controlId, problem: null });
      expect(q.newest).toHaveLength(q.edges ? 0 : PROFILE_NAMES.length);
      expect(q.expr!.split('label_replace(').length - 1).toBeGreaterThanOrEqual(PROFILE_NAMES.length);
    }
  });
});
