/** @jest-environment node */
import { getControl } from '../controls';
import { MS } from '../logql';
import { checkLogqlSyntax } from '../logql/validate';
import { DEFAULT_POLICY, type LoggingPolicy } from '../policy';
import { PROFILES } from '../profiles';
import { queryContext } from './context';
import { buildControlTableQueries, controlTableKeys, evidenceCountFromTable, measureFromTable } from './control-table';

const POLICY: LoggingPolicy = { ...DEFAULT_POLICY, strictMtlsNamespaces: ['payments'], requiredServices: ['checkout'] };
const control = (id: string) => getControl(id)!;
const row = (metric: Record<string, string>, value: number) => ({ metric: { cluster: 'eu', ...metric }, timeMs: 0, value });

describe('the control counts table', () => {
  it('is one grouped count per pipeline over every field the controls read', () => {
    const controls = ['CC6.7-mtls', 'CC7.2-error-anomaly'].map(control);
    expect(controlTableKeys(controls, {}, queryContext())).toEqual(['cluster', 'direction', 'dst_namespace', 'dst_service', 'mtls', 'status']);
    expect(controlTableKeys(controls, { service: ['x'] }, queryContext())).toContain('src_workload');
    // The controls judged per bucket or per edge read their buckets' fields and keys from the table too.
    expect(controlTableKeys([control('CC7.2-baseline-anomalies'), control('CC7.1-new-edges')], {}, queryContext())).toEqual([
      'cluster',
      'direction',
      'dst_namespace',
      'dst_service',
      'src_namespace',
      'src_workload',
      'status',
    ]);
    const [normalized] = buildControlTableQueries(controls, { namespace: ['a"b'] }, MS.d, queryContext());
    expect(normalized.expr).toBe(
      'sum by (cluster, direction, dst_namespace, dst_service, mtls, status) (count_over_time({log_type="access", namespace="a\\"b"} | json direction, dst_namespace, dst_service, mtls, status | __error__="" [1d]))'
    );
    const raw = buildControlTableQueries(controls, {}, MS.d, queryContext({ source: { kind: 'raw', profiles: ['istio-json', 'kuma-http'] }, profileStages: PROFILES }));
    expect(raw.map((q) => q.profile)).toEqual(['istio-json', 'kuma-http']);
    raw.forEach((q) => expect(checkLogqlSyntax(q.expr)).toBeNull());
  });

  // The callee's and the caller's line of each request, as both proxies log it.
  const rows = [
    row({ dst_service: 'checkout', dst_namespace: 'payments', direction: 'inbound', mtls: 'mtls', status: '200' }, 70),
    row({ dst_service: 'checkout', dst_namespace: 'payments', direction: 'inbound', mtls: 'plaintext', status: '503' }, 30),
    row({ dst_service: 'checkout', dst_namespace: 'payments', direction: 'outbound', mtls: 'unknown', status: '200' }, 70),
    row({ dst_service: 'checkout', dst_namespace: 'payments', direction: 'outbound', mtls: 'unknown', status: '503' }, 30),
    row({ dst_service: 'cart', dst_namespace: 'shop', direction: 'inbound', mtls: 'unknown', status: '200', authz: 'deny' }, 4),
    row({ dst_service: 'cart', dst_namespace: 'shop', direction: 'inbound', mtls: 'unknown' }, 6),
  ];

  it('gives each control the value its own LogQL defines', () => {
    expect(measureFromTable(control('CC6.7-mtls'), rows, {}, POLICY, 'cluster')).toBe(0.7);
    // 5xx share per callee among HTTP responses, worst one: checkout 60 of 200; cart's TCP lines are out of scope.
    expect(measureFromTable(control('CC7.2-error-anomaly'), rows, {}, POLICY, 'cluster')).toBe(0.3);
    expect(measureFromTable(control('CC6.1-authz-denials'), rows, {}, POLICY, 'cluster')).toBe(4);
    expect(measureFromTable(control('CC6.6-boundary-denials'), rows, {}, POLICY, 'cluster')).toBe(0);
    expect(measureFromTable(control('CC6.7-mtls'), rows, { service: ['cart'] }, POLICY, 'cluster')).toBeNull();
    expect(measureFromTable(control('CC6.1-authz-denials'), [], {}, POLICY, 'cluster')).toBeNull();
    expect(() => measureFromTable(control('CC7.2-log-coverage'), rows, {}, POLICY, 'cluster')).toThrow(/own query/);
  });

  it('counts the requests behind the evidence lines once per request, the larger side per callee', () => {
    expect(evidenceCountFromTable(control('CC6.7-mtls'), rows, {}, POLICY, 'cluster')).toBe(30);
    expect(evidenceCountFromTable(control('CC7.2-error-anomaly'), rows, {}, POLICY, 'cluster')).toBe(30);
    expect(evidenceCountFromTable(control('CC7.2-log-coverage'), rows, {}, POLICY, 'cluster')).toBe(100);
    expect(evidenceCountFromTable(control('CC6.1-authz-denials'), rows, { service: ['checkout'] }, POLICY, 'cluster')).toBe(0);
  });
});
