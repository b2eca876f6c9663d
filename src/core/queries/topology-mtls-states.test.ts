/** @jest-environment node */
import { checkLogqlSyntax } from '../logql/validate';
import { DEFAULT_TOPOLOGY_OPTIONS } from '../query';
import { queryContext } from './context';
import { buildTopologyMtlsStateQueries } from './topology-mtls-states';

describe('topology mTLS-state queries', () => {
  it('counts requests per edge key and mtls value over the range', () => {
    const [q] = buildTopologyMtlsStateQueries({ namespace: ['pay"ments'] }, DEFAULT_TOPOLOGY_OPTIONS, 3_600_000, queryContext());
    expect(q.name).toBe('mtls');
    expect(q.expr).toContain('by (src_workload, src_namespace, dst_service, dst_namespace, cluster, platform, direction, mtls)');
    expect(q.expr).toContain('namespace="pay\\"ments"');
    expect(q.expr).toContain('[1h]');
    expect(checkLogqlSyntax(q.expr)).toBeNull();
  });
});
