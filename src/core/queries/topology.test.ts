/** @jest-environment node */
import { WRITER_STAGE } from '../profiles/logql-templates';
import { MS, quoteString } from '../logql';
import { checkLogqlSyntax } from '../logql/validate';
import { decodedStrings } from '../../../test/support/logql';
import { DEFAULT_LABEL_NAMES, DEFAULT_TOPOLOGY_OPTIONS } from '../query';
import { PROFILES } from '../profiles';
import { projectStages, splitStages } from '../profiles/project';
import { LINE_SHAPES } from '../profiles/line-shapes';
import { PROFILE_NAMES } from '../schema';
import { queryContext } from './context';
import { buildTopologyQueries, topologyGroupKeys } from './topology';

const SERVER_ERROR_LINE = '"status":\\s*"?0*(?:[5-9][0-9]{2}|[1-9][0-9]{3,})';

const ISTIO_STAGE = '| json | label_format dst_service=upstream_service';

function expectParses(expr: string) {
  expect(checkLogqlSyntax(expr)).toBeNull();
}

describe('buildTopologyQueries', () => {
  it('builds the edge measures over normalised JSON; requests carry the mTLS state, errors parse only 5xx-looking lines', () => {
    const queries = buildTopologyQueries({}, DEFAULT_TOPOLOGY_OPTIONS, 5 * MS.m, queryContext());
    expect(queries.map((q) => q.name)).toEqual(['requests', 'errors', 'latency_p95']);
    const keys = 'src_workload, src_namespace, dst_service, dst_namespace, cluster, platform, direction';
    // Each reads only the record keys it groups, filters or unwraps by (the stream labels come from the stream).
    const fields = 'direction, dst_namespace, dst_service, src_namespace, src_workload';
    expect(Object.fromEntries(queries.map((q) => [q.name, q.expr]))).toEqual({
      requests: `sum by (${keys}, mtls) (count_over_time({log_type="access"} | json direction, dst_namespace, dst_service, mtls, src_namespace, src_workload | __error__="" [5m]))`,
      errors: `sum by (${keys}) (count_over_time({log_type="access"} |~ ${quoteString(SERVER_ERROR_LINE)} | json ${fields}, status | status >= 500 | __error__="" [5m]))`,
      latency_p95: `quantile_over_time(0.95, {log_type="access"} | json direction, dst_namespace, dst_service, duration_ms, src_namespace, src_workload | __error__="" | unwrap duration_ms | __error__="" [5m]) by (${keys})`,
    });
    queries.forEach((q) => expectParses(q.expr));
  });

  it('groups coarser levels by namespace, cluster and platform labels only, honouring label names', () => {
    const labels = { ...DEFAULT_LABEL_NAMES, cluster: 'k8s_cluster', platform: 'env' };
    // Every level also keeps the reporter (caller or callee proxy), so the data source can pair them.
    expect(topologyGroupKeys('namespace', labels)).toEqual(['src_namespace', 'dst_namespace', 'k8s_cluster', 'env', 'direction']);
    expect(topologyGroupKeys('cluster', labels)).toEqual(['k8s_cluster', 'env', 'direction']);
    expect(topologyGroupKeys('platform', labels)).toEqual(['env', 'direction']);
    const [requests] = buildTopologyQueries({}, { ...DEFAULT_TOPOLOGY_OPTIONS, groupBy: 'cluster' }, MS.h, queryContext({ labels }));
    expect(requests.expr).toMatch(/^sum by \(k8s_cluster, env, direction, mtls\) \(/);
    expectParses(requests.expr);
  });

  it('omits measures the options turn off; requests always stay', () => {
    const options = { groupBy: 'workload' as const, showErrors: false, showLatency: false, showMtls: true };
    const [requests, ...others] = buildTopologyQueries({}, options, MS.h, queryContext());
    expect([requests.name, others]).toEqual(['requests', []]);
    expect(requests.expr).toMatch(/^sum by \(.*, direction, mtls\) /);
    const [plain] = buildTopologyQueries({}, { ...options, showMtls: false }, MS.h, queryContext());
    expect(plain.expr).toMatch(/^sum by \(.*, direction\) /);
  });

  it('turns filters into escaped stream matchers and a post-parser service filter', () => {
    const hostile = 'a"}) or vector(1) #';
    const [requests] = buildTopologyQueries(
      { namespace: [hostile], cluster: ['eu-1', 'us.2'], platform: ['k8s'], service: ['checkout'] },
      DEFAULT_TOPOLOGY_OPTIONS,
      MS.h,
      queryContext()
    );
    expectParses(requests.expr);
    expect(requests.expr).toContain(
      '{log_type="access", platform="k8s", cluster=~"eu-1|us\\\\.2", namespace="a\\"}) or vector(1) #"} | json direction, dst_namespace, dst_service, mtls, src_namespace, src_workload | dst_service="checkout" | __error__=""'
    );
    expect(decodedStrings(requests.expr)).toEqual(['access', 'k8s', 'eu-1|us\\.2', hostile, 'checkout', '']);
  });

  it('builds one query set per raw profile, each under its mesh matcher with the profile stage', () => {
    const ctx = queryContext({
      source: { kind: 'raw', profiles: ['istio-json', 'kuma-http'] },
      profileStages: { 'istio-json': { mesh: 'istio', logqlStage: ISTIO_STAGE }, 'kuma-http': { mesh: 'kuma', logqlStage: '| logfmt' } },
    });
    const queries = buildTopologyQueries({}, DEFAULT_TOPOLOGY_OPTIONS, MS.h, ctx);
    expect(queries.map((q) => `${q.profile}:${q.name}`)).toEqual([
      'istio-json:requests',
      'istio-json:latency_p95',
      'kuma-http:requests',
      'kuma-http:latency_p95',
    ]);
    // A raw count is split by status as well: its rows give the errors, no second scan.
    expect(queries[0].splits).toEqual(['mtls', 'status']);
    expect(queries[0].expr).toMatch(/^sum by \(.*, direction, mtls, status\) /);
    // Each profile's own stage, then the writer's side from the stream labels (WRITER_STAGE),
    // narrowed to the fields the count reads (no dst_workload: topology does not group by it).
    const writer = projectStages(WRITER_STAGE, topologyGroupKeys('workload', DEFAULT_LABEL_NAMES));
    expect(writer).not.toContain('dst_workload');
    expect(queries[0].expr).toContain(`{log_type="access", mesh="istio"} ${ISTIO_STAGE} ${writer} | __error__="" [1h]`);
    expect(queries[2].expr).toContain(`{log_type="access", mesh="kuma"} | logfmt ${writer} | __error__="" [1h]`);
    queries.forEach((q) => expectParses(q.expr));
  });

  it('fails clearly for a raw source without profiles or without a known stage', () => {
    expect(() =>
      buildTopologyQueries({}, DEFAULT_TOPOLOGY_OPTIONS, MS.h, queryContext({ source: { kind: 'raw', profiles: [] } }))
    ).toThrow(/at least one profile/);
    expect(() =>
      buildTopologyQueries({}, DEFAULT_TOPOLOGY_OPTIONS, MS.h, queryContext({ source: { kind: 'raw', profiles: ['consul'] }, profileStages: {} }))
    ).toThrow(/no LogQL stage is known for profile "consul"/);
  });

  it('uses the real profile stages by default, and every query parses', () => {
    const ctx = queryContext({ source: { kind: 'raw', profiles: [...PROFILE_NAMES] } });
    const queries = buildTopologyQueries({ namespace: ['shop'] }, DEFAULT_TOPOLOGY_OPTIONS, MS.h, ctx);
    expect(queries).toHaveLength(PROFILE_NAMES.length * 2);
    for (const q of queries) {
      expect(q.expr).toContain(`mesh="${PROFILES[q.profile!].mesh}"`);
      // The line-shape filter comes first, so a sibling format of the same mesh is never parsed;
      // then the profile's parser, and its stages narrowed to what the measure reads.
      const [parser] = splitStages(PROFILES[q.profile!].logqlStage);
      expect(q.expr).toContain(`} |~ ${quoteString(LINE_SHAPES[q.profile!])} ${parser}`);
      expect(q.expr).not.toContain('__line__');
      expect({ profile: q.profile, problem: checkLogqlSyntax(q.expr) }).toEqual({ profile: q.profile, problem: null });
    }
  });

  it('accepts a Grafana range variable for dashboards', () => {
    const queries = buildTopologyQueries({}, DEFAULT_TOPOLOGY_OPTIONS, { grafanaVariable: '$__range' }, queryContext());
    for (const q of queries) {
      expect(q.expr).toContain('[$__range]');
      expectParses(q.expr.replace('$__range', '1h'));
    }
  });

  it('rejects label names that are not identifiers', () => {
    const labels = { ...DEFAULT_LABEL_NAMES, cluster: 'k8s-cluster' };
    expect(() => buildTopologyQueries({ cluster: ['a'] }, DEFAULT_TOPOLOGY_OPTIONS, MS.h, queryContext({ labels }))).toThrow(
      /invalid label name "k8s-cluster"/
    );
  });
});
