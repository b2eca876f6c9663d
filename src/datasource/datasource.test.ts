import { lastValueFrom } from 'rxjs';
import { dateTime, type DataFrame, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { classifyLokiError } from '../core/loki';
import type { LokiRawResponse, LokiRequest } from '../core/loki/types';
import { checkLogqlSyntax } from '../core/logql/validate';
import { MeshAuditDataSource } from './datasource';
import { FakeLokiTransport } from '../../test/support/fakeLoki';
import { listFixtures, readFixture } from '../../test/support/fixtures';
import { backendSrvOverLoki, type RecordingBackendSrv } from '../../test/support/grafanaRuntime';
import { fakeTemplateSrv } from '../../test/support/templateSrv';
import type { MeshAuditOptions, MeshAuditQuery } from './types';

const fixture = (path: string) => readFixture(`datasource/${path}`);

/** Grafana's BackendSrv in front of the one fake Loki, as the data source meets them. */
let grafana: RecordingBackendSrv;
function serve(loki: FakeLokiTransport) {
  grafana = backendSrvOverLoki(loki);
  setBackendSrv(grafana);
}
const answer = (fn: (req: LokiRequest) => LokiRawResponse) => serve(new FakeLokiTransport().otherwise(fn));
const calls = () => grafana.calls;

const TO = Date.UTC(2025, 10, 26, 6, 20);
const FROM = TO - 3_600_000;

function datasource(jsonData: MeshAuditOptions = { lokiUid: 'loki-uid', logSourceMode: 'normalized' }) {
  return new MeshAuditDataSource({ uid: 'mesh', name: 'Mesh Audit', jsonData } as DataSourceInstanceSettings<MeshAuditOptions>);
}

const run = (ds: MeshAuditDataSource, req: DataQueryRequest<MeshAuditQuery>) => lastValueFrom(ds.query(req));

function request(targets: MeshAuditQuery[], extra: Partial<DataQueryRequest<MeshAuditQuery>> = {}): DataQueryRequest<MeshAuditQuery> {
  const from = dateTime(FROM);
  const to = dateTime(TO);
  return {
    targets,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    requestId: 'r',
    interval: '1m',
    intervalMs: 60_000,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
    ...extra,
  } as DataQueryRequest<MeshAuditQuery>;
}

/** Serves the topology vector fixtures by which measure the LogQL asks for; the request count split by mTLS state is mtls.json. */
function topologyAnswer(req: LokiRequest): LokiRawResponse {
  const q = String(req.params.query ?? '');
  const name = q.startsWith('quantile_over_time') ? 'latency_p95' : q.includes('status >= 500') ? 'errors' : /, mtls\)/.test(q) ? 'mtls' : 'requests';
  return { status: 200, body: fixture(`topology/${name}.json`) };
}

const field = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)!.values;
const sentQueries = () => calls().map((c) => String(c.params?.query));

beforeEach(() => {
  answer(() => ({ status: 500, body: 'this test set no Loki answer' }));
  setTemplateSrv(fakeTemplateSrv({}));
});

describe('MeshAuditDataSource.query', () => {
  it('builds topology frames from the three instant queries over the dashboard range', async () => {
    answer(topologyAnswer);
    const response = await run(datasource(), request([{ refId: 'A', queryType: 'topology', filters: { namespace: ['bookinfo'] } }]));
    expect(response.errors).toBeUndefined();
    expect(response.data.map((f: DataFrame) => f.name)).toEqual(['nodes', 'edges']);
    const edges = response.data[1] as DataFrame;
    expect(edges.length).toBe(5);
    const i = (field(edges, 'target') as string[]).findIndex((t) => t.includes('"reviews"'));
    expect(field(edges, 'mainstat')[i]).toBeCloseTo(35400 / 3600, 10);
    expect(field(edges, 'detail__mtls')[i]).toBe('mtls');
    // Instant queries at the end of the range through the Loki proxy route, aggregating over [1h].
    expect(calls()).toHaveLength(3);
    for (const call of calls()) {
      expect(call.url).toBe('/api/datasources/proxy/uid/loki-uid/loki/api/v1/query');
      expect(call.method).toBe('GET');
      expect(call.params?.time).toBe(String(TO * 1e6));
      expect(call.params?.query).toContain('[1h]');
      expect(call.params?.query).toContain('namespace="bookinfo"');
    }
  });

  const errorFiles = listFixtures('loki').filter((f) => /^error_\d+_.*\.txt$/.test(f) && !f.endsWith('.source.txt'));
  it.each(errorFiles)('reports Loki error %s as its typed message on the target', async (file) => {
    const status = Number(file.split('_')[1]);
    const body = readFixture(`loki/${file}`);
    answer(() => ({ status, body }));
    const response = await run(datasource(), request([{ refId: 'B', queryType: 'topology' }]));
    expect(response.data).toEqual([]);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0].refId).toBe('B');
    // A 429 is retried by core first; its message then says how often.
    expect((response.errors![0].message ?? '').startsWith(classifyLokiError(status, body).message)).toBe(true);
    expect(response.errors![0].message).not.toMatch(/\n\s+at /);
  }, 20_000);

  it('keeps a hostile variable value a literal in every query it sends', async () => {
    answer(topologyAnswer);
    setTemplateSrv(fakeTemplateSrv({ ns: '"} |= "x', svc: ['a\\b', '{c}'] }));
    const response = await run(datasource(), request([{ refId: 'A', queryType: 'topology', filters: { namespace: ['$ns'], service: ['$svc'] } }]));
    expect(response.errors).toBeUndefined();
    const hostile = sentQueries();
    answer(topologyAnswer);
    setTemplateSrv(fakeTemplateSrv({ ns: 'SAFE', svc: ['SAFE1', 'SAFE2'] }));
    await run(datasource(), request([{ refId: 'A', queryType: 'topology', filters: { namespace: ['$ns'], service: ['$svc'] } }]));
    const benign = sentQueries();
    expect(hostile).toHaveLength(benign.length);
    hostile.forEach((q, i) => {
      expect(checkLogqlSyntax(q)).toBeNull();
      expect(q).toContain('namespace="\\"} |= \\"x"');
      // Only the quoted literals differ from the same query with harmless values.
      const normalise = (s: string) => s.replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
      expect(normalise(q)).toBe(normalise(benign[i]));
    });
  });

  it('applies ad-hoc filters as matchers and refuses unsupported operators per target', async () => {
    answer(topologyAnswer);
    const ok = await run(datasource(), request([{ refId: 'A', queryType: 'topology' }], { filters: [{ key: 'cluster', operator: '=', value: 'prod-east' }] }));
    expect(ok.errors).toBeUndefined();
    expect(sentQueries().every((q) => q.includes('cluster="prod-east"'))).toBe(true);
    const bad = await run(datasource(), request([{ refId: 'A', queryType: 'topology' }], { filters: [{ key: 'cluster', operator: '!=', value: 'x' }] }));
    expect(bad.errors![0].message).toContain('operator "!=" on "cluster" is not supported');
  });

  it('aborts the Loki requests in flight when the panel unsubscribes', async () => {
    serve(new FakeLokiTransport().pending());
    const subscription = datasource().query(request([{ refId: 'A', queryType: 'topology' }])).subscribe();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls().length).toBeGreaterThan(0);
    expect(calls().every((c) => c.abortSignal?.aborted === false)).toBe(true);
    subscription.unsubscribe();
    expect(calls().every((c) => c.abortSignal?.aborted === true)).toBe(true);
  });

  it('says when no Loki data source is configured', async () => {
    const response = await run(datasource({}), request([{ refId: 'A', queryType: 'topology' }]));
    expect(response.errors![0].message).toContain('no Loki data source configured');
  });

  it('reports a bad target on its own refId and still answers the others', async () => {
    answer(topologyAnswer);
    const response = await run(datasource(), 
      request([
        { refId: 'A', queryType: 'topology' },
        { refId: 'B', queryType: 'retention', retentionClasses: ['no-such-class'] },
      ])
    );
    expect(response.data.map((f: DataFrame) => f.name)).toEqual(['nodes', 'edges']);
    expect(response.errors).toEqual([expect.objectContaining({ refId: 'B', message: expect.stringContaining('unknown log class "no-such-class"') })]);
  });

  it("runs retention from Loki's index: the tenant's limits, then one volume_range for every class, laid out per day", async () => {
    const from = Date.UTC(2025, 10, 20, 12);
    const to = Date.UTC(2025, 10, 23, 12);
    const day = (i: number) => (Date.UTC(2025, 10, 20) + (i + 1) * 86_400_000 - 1) / 1000;
    answer((req) =>
      req.path.endsWith('/drilldown-limits')
        ? { status: 200, body: JSON.stringify({ limits: { retention_period: '31d', retention_stream: [{ selector: '{log_type="audit"}', priority: 1, period: '400d' }], max_query_length: '30d' } }) }
        : {
            status: 200,
            body: JSON.stringify({
              status: 'success',
              data: { resultType: 'matrix', result: [{ metric: { log_type: 'access' }, values: [[day(0), '42'], [day(2), '7']] }] },
            }),
          }
    );
    const response = await run(
      datasource(),
      request([{ refId: 'R', queryType: 'retention' }], { range: { from: dateTime(from), to: dateTime(to), raw: { from: dateTime(from), to: dateTime(to) } } })
    );
    expect(response.errors).toBeUndefined();
    const frame = response.data[0] as DataFrame;
    expect(frame.name).toBe('retention');
    expect(calls().map((c) => c.url.replace(/^.*\/loki\/api\/v1/, ''))).toEqual(['/drilldown-limits', '/index/volume_range']);
    expect(calls()[1].params).toMatchObject({ query: '{log_type=~"access|audit"}', step: '86400s', aggregateBy: 'series' });
    // No targetLabels: Loki would drop every stream lacking one (retention-index.ts).
    expect(calls()[1].params).not.toHaveProperty('targetLabels');
    expect(field(frame, 'log_class')).toEqual(['mesh-access', 'mesh-access', 'mesh-access', 'mesh-access', 'mesh-audit', 'mesh-audit', 'mesh-audit', 'mesh-audit']);
    expect(field(frame, 'covered')).toEqual([true, false, true, false, false, false, false, false]);
    expect(field(frame, 'configured')).toEqual(['31d', '31d', '31d', '31d', '400d', '400d', '400d', '400d']);
    expect(field(frame, 'status')).toEqual([...Array(4).fill('configured-short'), ...Array(4).fill('gap')]);
  });
});

describe('MeshAuditDataSource variables and ad-hoc values', () => {
  const range = { from: dateTime(FROM), to: dateTime(TO) };

  it('lists namespaces from Loki label values scoped to access logs, chained by filters', async () => {
    answer(() => ({ status: 200, body: fixture('playground/label_values_namespace.json') }));
    setTemplateSrv(fakeTemplateSrv({ cluster: 'prod-east' }));
    const values = await datasource().metricFindQuery({ refId: 'v', kind: 'namespaces', filters: { cluster: ['$cluster'] } }, { range });
    expect(values).toEqual(['bookinfo', 'istio-system', 'payments'].map((v) => ({ text: v, value: v })));
    expect(calls()[0].url).toBe('/api/datasources/proxy/uid/loki-uid/loki/api/v1/label/namespace/values');
    expect(calls()[0].params).toMatchObject({ query: '{log_type="access", cluster="prod-east"}', start: String(FROM * 1e6), end: String(TO * 1e6) });
  });

  it('lists services from a sum by (dst_service) metric query over the range', async () => {
    answer(() => ({ status: 200, body: fixture('topology/requests.json') }));
    const values = await datasource().metricFindQuery('services', { range });
    expect(values.map((v) => v.text)).toEqual(['details', 'ledger', 'productpage', 'ratings', 'reviews']);
    expect(String(calls()[0].params?.query)).toMatch(/^sum by \(dst_service\) \(count_over_time\(.*\[1h\]\)\)$/);
  });

  it('answers the variable editor through CustomVariableSupport with text/value frames', async () => {
    answer(() => ({ status: 200, body: fixture('playground/label_values_namespace.json') }));
    const ds = datasource();
    const support = ds.variables as unknown as { query: (r: unknown) => import('rxjs').Observable<{ data: DataFrame[] }> };
    const response = await lastValueFrom(support.query({ targets: [{ refId: 'v', kind: 'clusters' }], range, scopedVars: {} }));
    expect(field(response.data[0], 'text')).toEqual(['bookinfo', 'istio-system', 'payments']);
    expect(calls()[0].url).toContain('/label/cluster/values');
  });

  it('refuses an unknown variable query with the valid kinds', async () => {
    await expect(datasource().metricFindQuery('pods')).rejects.toThrow('use one of: platforms, clusters, namespaces, services');
  });

  it('offers only low-cardinality labels for ad-hoc filters, with values from Loki', async () => {
    const ds = datasource({ lokiUid: 'loki-uid', labelNames: { cluster: 'k8s_cluster' } });
    expect((await ds.getTagKeys()).map((k) => k.text)).toEqual(['platform', 'k8s_cluster', 'namespace']);
    answer(() => ({ status: 200, body: fixture('playground/label_values_namespace.json') }));
    const values = await ds.getTagValues({ key: 'k8s_cluster', filters: [{ key: 'namespace', operator: '=', value: 'bookinfo' }], timeRange: { ...range, raw: range } });
    expect(values).toHaveLength(3);
    expect(calls()[0].url).toContain('/label/k8s_cluster/values');
    expect(calls()[0].params?.query).toContain('namespace="bookinfo"');
    expect(await ds.getTagValues({ key: 'pod', filters: [] })).toEqual([]);
  });
});
