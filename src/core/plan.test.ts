/** @jest-environment node */
import { checkLogqlSyntax } from './logql/validate';
import { CONTROL_IDS } from './controls';
import { DEFAULT_POLICY } from './policy';
import { LINE_SHAPES } from './profiles/line-shapes';
import { planExpressions, planQuery, type PlanSettings } from './plan';
import { DEFAULT_LABEL_NAMES, type MeshAuditQueryModel } from './query';

const HOUR = 3_600_000;
const normalized: PlanSettings = {
  logSource: { kind: 'normalized' },
  labelNames: DEFAULT_LABEL_NAMES,
  policy: { ...DEFAULT_POLICY, strictMtlsNamespaces: ['payments'], requiredServices: ['checkout'], allowedCallers: { checkout: ['frontend'] } },
};
const raw: PlanSettings = { logSource: { kind: 'raw', profiles: ['istio-json', 'linkerd-json'] }, labelNames: DEFAULT_LABEL_NAMES, policy: DEFAULT_POLICY };

const HOSTILE = ['"} |= "x', 'a\\"b', '{evil}', 'back\\slash', 'new\nline'];

function exprs(query: Partial<MeshAuditQueryModel>, settings = normalized) {
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
  it('topology: requests split by mTLS state, errors and latency over the range', () => {
    const list = exprs({ queryType: 'topology', filters: { namespace: ['bookinfo'] } });
    expect(list.map((q) => q.name)).toEqual(['requests', 'errors', 'latency_p95']);
    expectValid(list);
    expect(list[0].expr).toContain('namespace="bookinfo"');
    expect(list[0].expr).toContain('[1h]');
    expect(list[0].expr).toMatch(/by \(.*, direction, mtls\)/);
  });

  it('topology: toggles drop measures and group-by changes the keys', () => {
    const list = exprs({ queryType: 'topology', filters: {}, topology: { groupBy: 'namespace', showErrors: false, showLatency: false, showMtls: true } });
    expect(list.map((q) => q.name)).toEqual(['requests']);
    expect(list[0].expr).toContain('by (src_namespace, dst_namespace, cluster, platform, direction, mtls)');
  });

  it('topology over raw profiles: one query set per profile, each with its mesh matcher', () => {
    const list = exprs({ queryType: 'topology', filters: {} }, raw);
    expect(list.map((q) => q.name)).toEqual([
      'requests (istio-json)', 'latency_p95 (istio-json)',
      'requests (linkerd-json)', 'latency_p95 (linkerd-json)',
    ]);
    expectValid(list);
    expect(list[0].expr).toContain('mesh="istio"');
    expect(list[2].expr).toContain('mesh="linkerd"');
    // Each profile's line shape comes first, or a sibling format of the mesh counts the same lines
    // again with empty fields (seen on a real Loki: linkerd-apache counted every linkerd-json line).
    expect(list[0].expr).toContain(`mesh="istio"} |~ "${LINE_SHAPES['istio-json'].replace(/\\/g, '\\\\')}" |`);
    expect(list[2].expr).toContain(`mesh="linkerd"} |~ "${LINE_SHAPES['linkerd-json'].replace(/\\/g, '\\\\')}" |`);
  });

  it('controls: one counts table per pipeline, a query for each coverage control, a newest-line read per control', () => {
    const list = exprs({ queryType: 'controls', filters: { cluster: ['prod'] } });
    expect(list.map((q) => `${q.name}: ${q.kind}`)).toEqual([
      // Per 10 minutes: the anomaly buckets, and the continuity buckets (1h) as sums of them.
      'control counts per 10m: range',
      'control counts, range head and tail: instant',
      // Retention and baseline-anomaly controls have no LogQL of their own here; continuity's buckets are the table's.
      ...CONTROL_IDS.filter((id) => !id.startsWith('C1.') && id !== 'CC7.2-baseline-anomalies').flatMap((id) => [
        ...(id === 'CC7.2-log-coverage' ? [`${id}: instant`] : []),
        ...(id === 'CC7.1-new-edges' ? [`${id} baseline bytes: index`, `${id} baseline edges, if it has bytes: instant`] : [`${id} newest evidence line: log`]),
      ]),
      // The retention controls read the index as the retention query does.
      'mesh-access (required 365d), mesh-audit (required 400d): bytes per 1d: index',
    ]);
    expect(list[0].expr).toBe(
      'sum by (authz, cluster, direction, dst_namespace, dst_service, mtls, src_namespace, src_workload, status) (count_over_time({log_type="access", cluster="prod"} | json authz, direction, dst_namespace, dst_service, mtls, src_namespace, src_workload, status | __error__="" [10m]))'
    );
    expect(list[1].expr).toBe(list[0].expr.replace('[10m]', '[1h]'));
    expectValid(list);
    const rawList = exprs({ queryType: 'controls', filters: {} }, { ...raw, policy: normalized.policy });
    expect(rawList.filter((q) => q.name.startsWith('control counts per')).map((q) => q.name)).toEqual(['control counts per 10m (istio-json)', 'control counts per 10m (linkerd-json)']);
    expect(rawList.filter((q) => q.name.includes('baseline edges')).map((q) => q.name)).toEqual(['CC7.1-new-edges baseline edges (istio-json), if it has bytes', 'CC7.1-new-edges baseline edges (linkerd-json), if it has bytes']);
  });

  it('retention: one index volume request for the classes that share a label, no line read', () => {
    const list = exprs({ queryType: 'retention', filters: {} });
    expect(list.map((q) => q.name)).toEqual(['mesh-access (required 365d), mesh-audit (required 400d): bytes per 1d']);
    expect(list.every((q) => q.kind === 'index')).toBe(true);
    expect(list[0].expr).toBe('{log_type=~"access|audit"}');
  });

  it('logs: the drill-down for an edge', () => {
    const list = exprs({ queryType: 'logs', filters: {}, logs: { srcWorkload: 'productpage-v1', dstService: 'reviews', limit: 50 } });
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
      const list = exprs({ queryType, ...(extra as object) } as Partial<MeshAuditQueryModel>);
      expectValid(list);
      // A benign value with a space: like the hostile ones, no JSON line prefilter is derived from it.
      const benign = exprs({ queryType, ...JSON.parse(JSON.stringify(extra).split(JSON.stringify(value).slice(1, -1)).join('SAFE x')) } as Partial<MeshAuditQueryModel>);
      for (let i = 0; i < list.length; i++) {
        expect(list[i].expr).toContain(quoted(value));
        // Swapping the hostile value for a plain one changes nothing else: structure is intact.
        expect(list[i].expr.split(quoted(value)).join('"SAFE x"')).toBe(benign[i].expr);
      }
    });
  });

  it('refuses an unknown log class or control with the valid names', () => {
    expect(() => exprs({ queryType: 'retention', retentionClasses: ['nope'] })).toThrow(/mesh-access, mesh-audit/);
    expect(() => exprs({ queryType: 'controls', controls: ['CC0.0'] })).toThrow(/valid ids/);
  });
});
