/** @jest-environment node */
import { checkLogqlSyntax } from '../core/logql/validate';
import { CONTROL_IDS } from '../core/controls';
import { DEFAULT_POLICY } from '../core/policy';
import { planExpressions, planQuery } from './plan';
import { resolveSettings } from './settings';
import type { MeshAuditQuery } from './types';

const HOUR = 3_600_000;
const normalized = resolveSettings({ logSourceMode: 'normalized', policy: { ...DEFAULT_POLICY, strictMtlsNamespaces: ['payments'], requiredServices: ['checkout'] } });
const raw = resolveSettings({ logSourceMode: 'raw', profiles: ['istio-json', 'linkerd-json'] });

const HOSTILE = ['"} |= "x', 'a\\"b', '{evil}', 'back\\slash', 'new\nline'];

function exprs(query: MeshAuditQuery, settings = normalized) {
  return planExpressions(planQuery(query, settings, HOUR));
}

function expectValid(list: Array<{ name: string; expr: string }>) {
  expect(list.length).toBeGreaterThan(0);
  for (const { name, expr } of list) {
    expect({ name, problem: checkLogqlSyntax(expr) }).toEqual({ name, problem: null });
  }
}

/** Go-quoted form of a value as it must appear inside LogQL. */
const quoted = (v: string) => JSON.stringify(v);

describe('query plan: LogQL per query type', () => {
  it('topology: requests, errors, latency and per-state mTLS over the range', () => {
    const list = exprs({ refId: 'A', queryType: 'topology', filters: { namespace: ['bookinfo'] } });
    expect(list.map((q) => q.name)).toEqual(['requests', 'errors', 'latency_p95', 'mtls']);
    expectValid(list);
    expect(list[0].expr).toContain('namespace="bookinfo"');
    expect(list[0].expr).toContain('[1h]');
    expect(list[3].expr).toMatch(/by \(.*, mtls\)/);
  });

  it('topology: toggles drop measures and group-by changes the keys', () => {
    const list = exprs({ refId: 'A', queryType: 'topology', filters: {}, topology: { groupBy: 'namespace', showErrors: false, showLatency: false, showMtls: true } });
    expect(list.map((q) => q.name)).toEqual(['requests', 'mtls']);
    expect(list[0].expr).toContain('by (src_namespace, dst_namespace, cluster, platform, direction)');
  });

  it('topology over raw profiles: one query set per profile, each with its mesh matcher', () => {
    const list = exprs({ refId: 'A', queryType: 'topology', filters: {} }, raw);
    expect(list.map((q) => q.name)).toEqual([
      'requests (istio-json)', 'errors (istio-json)', 'latency_p95 (istio-json)',
      'requests (linkerd-json)', 'errors (linkerd-json)', 'latency_p95 (linkerd-json)',
      'mtls (istio-json)', 'mtls (linkerd-json)',
    ]);
    expectValid(list);
    expect(list[0].expr).toContain('mesh="istio"');
    expect(list[3].expr).toContain('mesh="linkerd"');
  });

  it('controls: one metric query per catalog control in scope', () => {
    const list = exprs({ refId: 'A', queryType: 'controls', filters: { cluster: ['prod'] } });
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((q) => CONTROL_IDS.includes(q.name.split(' ')[0]))).toBe(true);
    expect(list.some((q) => q.name.endsWith('evidence count'))).toBe(true);
    expectValid(list);
  });

  it('retention: one daily count per log class of the policy', () => {
    const list = exprs({ refId: 'A', queryType: 'retention', filters: {} });
    expect(list.map((q) => q.name)).toEqual(['mesh-access', 'mesh-audit']);
    expectValid(list);
    expect(list[0].expr).toContain('log_type="access"');
    expect(list[0].expr).toContain('[1d]');
  });

  it('logs: the drill-down for an edge', () => {
    const list = exprs({ refId: 'A', queryType: 'logs', filters: {}, logs: { srcWorkload: 'productpage-v1', dstService: 'reviews', limit: 50 } });
    expect(list.map((q) => q.name)).toEqual(['edge']);
    expectValid(list);
    expect(list[0].expr).toContain('src_workload="productpage-v1"');
  });

  describe.each(HOSTILE)('hostile value %j stays a literal', (value) => {
    it.each([
      ['topology', { filters: { namespace: [value], service: [value] } }],
      ['controls', { filters: { cluster: [value], platform: [value] } }],
      ['retention', { filters: { namespace: [value] } }],
      ['logs', { filters: { service: [value] }, logs: { srcWorkload: value, dstService: value, limit: 10 } }],
    ] as const)('in %s', (queryType, extra) => {
      const list = exprs({ refId: 'A', queryType, ...(extra as object) } as MeshAuditQuery);
      expectValid(list);
      const benign = exprs({ refId: 'A', queryType, ...JSON.parse(JSON.stringify(extra).split(JSON.stringify(value).slice(1, -1)).join('SAFE')) } as MeshAuditQuery);
      for (let i = 0; i < list.length; i++) {
        expect(list[i].expr).toContain(quoted(value));
        // Swapping the hostile value for a plain one changes nothing else: structure is intact.
        expect(list[i].expr.split(quoted(value)).join('"SAFE"')).toBe(benign[i].expr);
      }
    });
  });

  it('refuses an unknown log class or control with the valid names', () => {
    expect(() => exprs({ refId: 'A', queryType: 'retention', retentionClasses: ['nope'] })).toThrow(/mesh-access, mesh-audit/);
    expect(() => exprs({ refId: 'A', queryType: 'controls', controls: ['CC0.0'] })).toThrow(/valid ids/);
  });
});
