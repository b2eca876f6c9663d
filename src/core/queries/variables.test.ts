/** @jest-environment node */
import { checkLogqlSyntax } from '../logql/validate';
import { PROFILES } from '../profiles';
import { queryContext } from './context';
import { accessStreamSelector, buildServiceValuesQueries } from './variables';

describe('variable queries', () => {
  it('scopes label values to access logs with escaped filters', () => {
    expect(accessStreamSelector({ cluster: ['a"b'] }, queryContext())).toBe('{log_type="access", cluster="a\\"b"}');
  });

  it('counts services per pipeline in Loki', () => {
    const ctx = queryContext({ source: { kind: 'raw', profiles: ['istio-text', 'hubble-json'] }, profileStages: PROFILES });
    const list = buildServiceValuesQueries({ namespace: ['x', 'y'] }, 3_600_000, ctx);
    expect(list).toHaveLength(2);
    for (const expr of list) {
      expect(checkLogqlSyntax(expr)).toBeNull();
      expect(expr).toMatch(/^sum by \(dst_service\) \(count_over_time\(/);
      expect(expr).toContain('[1h]');
    }
  });
});
