/** @jest-environment node */
import { CONTROL_CATALOG } from '../controls';
import { checkLogqlSyntax } from '../logql/validate';
import { DEFAULT_POLICY } from '../policy';
import { PROFILES } from '../profiles';
import { queryContext } from './context';
import { buildEvidenceCountQueries } from './control-evidence-count';
import { buildEvidenceLogQueries } from './logs';

const policy = { ...DEFAULT_POLICY, strictMtlsNamespaces: ['payments'], requiredServices: ['checkout'] };

describe('control evidence count queries', () => {
  it.each(CONTROL_CATALOG.map((c) => [c.id, c] as const))('%s counts the lines its evidence log query returns', (_id, control) => {
    const ctx = queryContext();
    const [count] = buildEvidenceCountQueries(control, { namespace: ['a"b'] }, 86_400_000, policy, ctx);
    const [logs] = buildEvidenceLogQueries(control, { namespace: ['a"b'] }, policy, ctx, 10);
    expect(checkLogqlSyntax(count.expr)).toBeNull();
    // The counted population is exactly the evidence log query, wrapped in sum(count_over_time(...[1d])).
    expect(count.expr).toBe(`sum(count_over_time(${logs.expr} [1d]))`);
  });

  it('gives one query per raw profile', () => {
    const ctx = queryContext({ source: { kind: 'raw', profiles: ['istio-json', 'kuma-http'] }, profileStages: PROFILES });
    const list = buildEvidenceCountQueries(CONTROL_CATALOG[0], {}, 3_600_000, policy, ctx);
    expect(list.map((q) => q.profile)).toEqual(['istio-json', 'kuma-http']);
  });
});
