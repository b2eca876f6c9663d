/** @jest-environment node */
import { CONTROL_CATALOG } from '../controls';
import { checkLogqlSyntax } from '../logql/validate';
import { DEFAULT_POLICY } from '../policy';
import { PROFILES } from '../profiles';
import { queryContext } from './context';
import { buildEvidenceCountQueries } from './control-evidence-count';
import { buildEvidenceLogQueries } from './logs';

const policy = { ...DEFAULT_POLICY, strictMtlsNamespaces: ['payments'], requiredServices: ['checkout'] };

/** The log queries inside a metric query, with the side condition the count adds taken out. */
function countedPopulations(expr: string): string[] {
  return [...expr.matchAll(/count_over_time\((.*?) \[1d\]\)/g)].map((m) =>
    m[1].replace(/ and \(?direction(?:="(?:in|out)bound"|!="inbound" and direction!="outbound")\)?/, '').replace(/\| \((.*)\) \| __error__/, '| $1 | __error__')
  );
}

describe('control evidence count queries', () => {
  it.each(CONTROL_CATALOG.map((c) => [c.id, c] as const))('%s counts each request of its evidence population once', (_id, control) => {
    const ctx = queryContext();
    const [larger, undirected] = buildEvidenceCountQueries(control, { namespace: ['a"b'] }, 86_400_000, policy, ctx);
    const [logs] = buildEvidenceLogQueries(control, { namespace: ['a"b'] }, policy, ctx, 10);
    expect(checkLogqlSyntax(larger.expr)).toBeNull();
    expect(checkLogqlSyntax(undirected.expr)).toBeNull();
    // Per callee the larger of the callee's and the callers' reports, either side alone still counting.
    expect(larger.expr).toMatch(/^sum\(\(\(sum by \(dst_service, dst_namespace, cluster\) .*direction="inbound".* > sum by .*direction="outbound".*\) or sum by .*direction="outbound".*\) or sum by .*direction="inbound".*\)$/);
    expect(undirected.expr).toContain('direction!="inbound" and direction!="outbound"');
    // Every counted population is the evidence log query's, narrowed to one side.
    expect(countedPopulations(larger.expr + undirected.expr)).toEqual(Array(5).fill(logs.expr));
  });

  it('gives one pair of queries per raw profile', () => {
    const ctx = queryContext({ source: { kind: 'raw', profiles: ['istio-json', 'kuma-http'] }, profileStages: PROFILES });
    const list = buildEvidenceCountQueries(CONTROL_CATALOG[0], {}, 3_600_000, policy, ctx);
    expect(list.map((q) => q.profile)).toEqual(['istio-json', 'istio-json', 'kuma-http', 'kuma-http']);
  });
});
