import type { DataFrame } from '@grafana/data';
import { LokiClient } from '../../core/loki/client';
import type { LokiRequest } from '../../core/loki/types';
import { FakeLokiTransport } from '../../../test/support/fakeLoki';
import { CONTROL_CATALOG } from '../../core/controls';
import { EDGE_FIELD } from '../../core/frames';
import { planQuery } from '../../core/plan';
import { DEFAULT_POLICY } from '../../core/policy';
import { resolveSettings } from '../settings';
import { checkHealth } from '../health';
import { runControls } from './runControls';
import { tableWindows } from './controlTable';
import { parseDuration } from '../../core/logql';
import { runLogs } from './runLogs';
import { runTopology, splitMtlsStates } from './runTopology';
import { dailyGrid } from './runRetention';
import { readFixture, readLokiFixture } from '../../../test/support/fixtures';

const fixture = (path: string) => readFixture(`datasource/${path}`);
const TO = Date.UTC(2025, 10, 26, 6, 20);
const FROM = TO - 3_600_000;

/** The one fake Loki (test/support/fakeLoki), answering from a function of the request and recording every request. */
function transport(answer: (req: LokiRequest) => { status: number; body: string }) {
  const fake = new FakeLokiTransport().otherwise(answer);
  return { calls: fake.requests, client: new LokiClient(fake) };
}

const vector = (value: string | null) =>
  JSON.stringify({ status: 'success', data: { resultType: 'vector', result: value === null ? [] : [{ metric: {}, value: [TO / 1000, value] }] } });

const field = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)!.values;

describe('runTopology', () => {
  const settings = resolveSettings({ lokiUid: 'l', logSourceMode: 'normalized' });

  it("says how many requests it could not attribute to a writer, and draws them from an unknown node", async () => {
    const sample = (metric: Record<string, string>, value: string) => ({ metric, value: [TO / 1000, value] });
    const at = { cluster: 'c', platform: 'kubernetes' };
    const { client } = transport(() => ({
      status: 200,
      body: JSON.stringify({
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            // A callee's line from a stream without the writer's labels and without a peer identity.
            sample({ ...at, direction: 'inbound', dst_service: 'cart', dst_namespace: 'shop' }, '7'),
            sample({ ...at, direction: 'outbound', src_workload: 'web', src_namespace: 'shop', dst_service: 'api', dst_namespace: 'shop' }, '5'),
          ],
        },
      }),
    }));
    const plan = planQuery({ queryType: 'topology', topology: { groupBy: 'workload', showErrors: false, showLatency: false, showMtls: false } }, settings, TO - FROM);
    if (plan.type !== 'topology') {
      throw new Error('expected a topology plan');
    }
    const frames = await runTopology(plan, { client, fromMs: FROM, toMs: TO, refId: 'T', settings });
    const notices = frames.flatMap((f) => f.meta?.notices ?? []);
    expect(notices.map((n) => n.text)).toEqual([expect.stringMatching(/^7 requests have an unknown caller or callee/)]);
  });

  it('takes a raw pipeline\'s errors from its request count split by status, with no errors query', async () => {
    const raw = resolveSettings({ lokiUid: 'l', logSourceMode: 'raw', profiles: ['istio-json'] });
    const plan = planQuery({ queryType: 'topology', topology: { groupBy: 'workload', showErrors: true, showLatency: false, showMtls: true } }, raw, TO - FROM);
    if (plan.type !== 'topology') {
      throw new Error('expected a topology plan');
    }
    expect(plan.queries.map((q) => q.name)).toEqual(['requests']);
    const edge = { cluster: 'c', platform: 'kubernetes', direction: 'inbound', src_workload: 'web', src_namespace: 'shop', dst_service: 'api', dst_namespace: 'shop', mtls: 'mtls' };
    const sample = (status: string | undefined, value: number) => ({ metric: status === undefined ? edge : { ...edge, status }, value: [TO / 1000, String(value)] });
    const { client } = transport(() => ({
      status: 200,
      body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [sample('200', 90), sample('503', 6), sample('500', 3), sample('-', 1), sample(undefined, 2)] } }),
    }));
    const [, edges] = await runTopology(plan, { client, fromMs: FROM, toMs: TO, refId: 'T', settings: raw });
    // 102 requests; 9 with a status >= 500 ("-" is no number, a missing status no error).
    expect(field(edges, EDGE_FIELD.requests)).toEqual([102]);
    expect(field(edges, EDGE_FIELD.errorPercent)[0]).toBeCloseTo((100 * 9) / 102, 10);
  });
});

describe('runLogs', () => {
  it('normalises real mesh lines and keeps the unparseable one with its reason', async () => {
    const { client, calls } = transport(() => ({ status: 200, body: fixture('drilldown/streams_mesh.json') }));
    const settings = resolveSettings({ lokiUid: 'l' });
    const plan = planQuery({ queryType: 'logs', logs: { dstService: 'reviews', limit: 20 } }, settings, TO - FROM);
    if (plan.type !== 'logs') {
      throw new Error('expected a logs plan');
    }
    // Auto mode: one query per profile; the fixture answers every one of them the same, and
    // the lines must still appear once each.
    expect(plan.queries.length).toBeGreaterThan(1);
    const frames = await runLogs(plan, { client, fromMs: FROM, toMs: TO, refId: 'L', settings });
    expect(calls).toHaveLength(plan.queries.length);
    expect(calls[0].params.limit).toBe('20');
    expect(calls[0].params.direction).toBe('backward');
    // Drill-down lines are evidence: computed anew, never from Loki's results cache.
    expect(calls[0].headers).toEqual({ 'X-Loki-Response-Encoding-Flags': 'categorize-labels', 'Cache-Control': 'no-cache' });
    const [frame] = frames;
    expect(frame.meta?.preferredVisualisationType).toBe('logs');
    expect(frame.length).toBe(5);
    const labels = field(frame, 'labels') as Array<Record<string, string>>;
    const meshes = labels.map((l) => l.format ?? l.parse_error);
    expect(meshes.filter((m) => m === 'istio-json')).toHaveLength(2);
    expect(meshes).toContain('istio-text');
    expect(meshes).toContain('linkerd-json');
    const bad = labels.find((l) => l.parse_error);
    expect(bad).toMatchObject({ namespace: 'bookinfo', pod: 'productpage-v1-abc' });
    // Stream labels stay; record fields are added as labels.
    const istio = labels.find((l) => l.format === 'istio-json')!;
    expect(istio).toMatchObject({ log_type: 'access', cluster: 'prod-east', mesh: 'istio' });
    expect(istio.status).toMatch(/^\d{3}$/);
  });
});

describe('runTopology over Loki\'s series limit', () => {
  it('counts a raw pipeline\'s errors with their own query when the status split has too many series, and says so', async () => {
    const raw = resolveSettings({ lokiUid: 'l', logSourceMode: 'raw', profiles: ['istio-json'] });
    const plan = planQuery({ queryType: 'topology', topology: { groupBy: 'workload', showErrors: true, showLatency: false, showMtls: true } }, raw, TO - FROM);
    if (plan.type !== 'topology' || !plan.fallback) {
      throw new Error('expected a raw topology plan with a fallback');
    }
    expect(plan.fallback.map((q) => q.name)).toEqual(['requests', 'errors']);
    const split = new Set(plan.queries.map((q) => q.expr));
    const edge = { cluster: 'c', platform: 'kubernetes', direction: 'inbound', src_workload: 'web', src_namespace: 'shop', dst_service: 'api', dst_namespace: 'shop' };
    const { client } = transport((req) => {
      const query = String(req.params.query);
      if (split.has(query)) {
        return { status: 400, body: readLokiFixture('error_400_max_series.txt') };
      }
      const value = query.includes('status >= 500') ? '4' : '40';
      return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { ...edge, mtls: 'mtls' }, value: [TO / 1000, value] }] } }) };
    });
    const [, edges] = await runTopology(plan, { client, fromMs: FROM, toMs: TO, refId: 'T', settings: raw });
    expect(field(edges, EDGE_FIELD.requests)).toEqual([40]);
    expect(field(edges, EDGE_FIELD.errorPercent)).toEqual([10]);
    expect(edges.meta?.notices?.map((n) => n.text)).toEqual([expect.stringMatching(/more series than Loki allows \(max_query_series=\d+\)/)]);
  });
});

describe('splitMtlsStates', () => {
  it('gives the per-edge total and the per-state split; a line without the field is unknown, not mTLS', () => {
    const edge = { src_workload: 'web', dst_service: 'api', direction: 'inbound' };
    const { requests, mtls } = splitMtlsStates([
      { metric: { ...edge, mtls: 'mtls' }, timeMs: TO, value: 3 },
      { metric: edge, timeMs: TO, value: 2 },
    ]);
    expect(requests.map((r) => [r.metric, r.value])).toEqual([[edge, 3], [edge, 2]]);
    expect(mtls.map((r) => r.metric.mtls)).toEqual(['mtls', 'unknown']);
  });
});

describe('runControls', () => {
  // Retention controls read Loki's index and limits (runRetention.test); CC7.1 has a test of its own below.
  const LINE_CONTROLS = CONTROL_CATALOG.filter((c) => !['retention', 'new-edges', 'anomalies'].includes(c.evidence.kind));
  const LINE_IDS = LINE_CONTROLS.map((c) => c.id);
  const settings = resolveSettings({ lokiUid: 'l', logSourceMode: 'normalized', policy: {
      strictMtlsNamespaces: ['payments'],
      requiredServices: ['checkout'],
      allowedCallers: { checkout: ['frontend'] },
      thresholds: { ...DEFAULT_POLICY.thresholds, maxSilenceMinutes: 20 },
    },
  });
  /** CC4.1's range query: the hour holds three 20-minute buckets, and checkout logged in the first and the last. */
  const continuity = (plan: ReturnType<typeof planQuery>, req: { params: Record<string, unknown> }) => {
    const q = plan.type === 'controls' ? plan.queries.find((c) => c.controlId === 'CC4.1-logging-continuity') : undefined;
    if (String(req.params.query) !== q?.expr) {
      return undefined;
    }
    const metric = { cluster: 'eu', dst_namespace: 'payments', dst_service: 'checkout' };
    const values = [FROM + 20 * 60_000, TO].map((t) => [t / 1000, '4']);
    return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric, values }] } }) };
  };

  type Row = { metric: Record<string, string>; value: [number, string] };
  /**
   * The counts table per bucket as Loki answers it (a matrix on the step multiples from start to
   * end): each row's count split by `spread` over the bucket ends, by default all in the last.
   * The head and tail (instant queries of the table's own shape) are empty: the range is on the buckets.
   */
  const bucketTable = (plan: ReturnType<typeof planQuery>, req: LokiRequest, rows: Row[], spread = (count: number, ends: number[]) => [[ends[ends.length - 1], count]]) => {
    if (plan.type !== 'controls' || !req.path.endsWith('/query_range') || !plan.buckets.queries.some((q) => q.expr === String(req.params.query))) {
      return undefined;
    }
    const [start, end] = [req.params.start, req.params.end].map((t) => Number(String(t).slice(0, -6)));
    const ends: number[] = [];
    for (let t = start; t <= end; t += plan.buckets.stepMs) {
      ends.push(t);
    }
    const result = rows.map((r) => ({ metric: r.metric, values: spread(Number(r.value[1]), ends).map(([t, v]) => [t / 1000, String(v)]) }));
    return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }) };
  };

  it('plans the counts table per bucket of the continuity step, which the plan shows as a range query', () => {
    const plan = planQuery({ queryType: 'controls', controls: LINE_IDS }, settings, TO - FROM);
    expect(plan.type === 'controls' && plan.buckets.stepMs).toBe(20 * 60_000);
    const anomalies = planQuery({ queryType: 'controls', controls: ['CC4.1-logging-continuity', 'CC7.2-baseline-anomalies'] }, settings, TO - FROM);
    // 10-minute anomaly buckets and 20-minute continuity buckets are both made of 10-minute ones.
    expect(anomalies.type === 'controls' && anomalies.buckets.stepMs).toBe(10 * 60_000);
  });

  it('evaluates every control from one counts table and its own query for coverage, reading the newest evidence line', async () => {
    const plan = planQuery({ queryType: 'controls', controls: LINE_IDS }, settings, TO - FROM);
    if (plan.type !== 'controls') {
      throw new Error('expected a controls plan');
    }
    const table = new Set(plan.table.map((t) => t.expr));
    expect(table.size).toBe(1);
    const sample = (metric: Record<string, string>, value: number) => ({ metric: { cluster: 'eu', dst_service: 'checkout', dst_namespace: 'payments', ...metric }, value: [TO / 1000, String(value)] });
    // 7 requests into payments, each logged by callee and caller: 5 over mTLS, 2 in plaintext refused by authz, one of them a 503.
    const rows = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          sample({ direction: 'inbound', mtls: 'mtls', status: '200' }, 5),
          sample({ direction: 'inbound', mtls: 'plaintext', status: '403', authz: 'deny' }, 1),
          sample({ direction: 'inbound', mtls: 'plaintext', status: '503', authz: 'deny' }, 1),
          sample({ direction: 'outbound', mtls: 'unknown', status: '200' }, 5),
          sample({ direction: 'outbound', mtls: 'unknown', status: '403', authz: 'deny' }, 1),
          sample({ direction: 'outbound', mtls: 'unknown', status: '503', authz: 'deny' }, 1),
        ],
      },
    });
    // Checkout's own proxy logged in the first and the last 20-minute bucket, not in 05:40–06:00.
    const firstAndLast = (count: number, ends: number[]) => (count > 1 ? [[ends[0], 1], [ends[ends.length - 1], count - 1]] : [[ends[ends.length - 1], count]]);
    const { client, calls } = transport((req) => {
      const buckets = bucketTable(plan, req, JSON.parse(rows).data.result, firstAndLast);
      if (buckets) {
        return buckets;
      }
      if (req.path.endsWith('/query_range')) {
        return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [{ stream: {}, values: [[`${TO - 5000}000000`, 'line']] }] } }) };
      }
      return { status: 200, body: table.has(String(req.params.query)) ? rows : vector('1') };
    });
    const [frame] = await runControls(plan, { client, fromMs: FROM, toMs: TO, refId: 'C', settings });
    expect(frame.name).toBe('controls');
    const byId = (name: string) => Object.fromEntries((field(frame, 'id') as string[]).map((id, i) => [id, field(frame, name)[i]]));
    expect(byId('status')).toEqual({
      'CC6.7-mtls': 'fail',
      'CC6.1-authz-denials': 'pass',
      'CC6.6-boundary-denials': 'pass',
      'CC7.2-error-anomaly': 'fail',
      'CC7.2-log-coverage': 'pass',
      // Silent in 05:40–06:00.
      'CC4.1-logging-continuity': 'fail',
      // No line names its caller, so none is frontend: every request is unexpected.
      'CC6.8-unexpected-callers': 'fail',
      // 12 of 14 responses are not 5xx; 2 of 14 are 503.
      'A1.2-availability': 'fail',
      'A1.1-capacity': 'fail',
      // 4 of the 14 unexpected lines were denied.
      'CC6.3-least-privilege': 'fail',
    });
    expect(byId('evidence_count')).toEqual({
      'CC6.7-mtls': 2,
      'CC6.1-authz-denials': 2,
      'CC6.6-boundary-denials': 2,
      'CC7.2-error-anomaly': 1,
      'CC7.2-log-coverage': 7,
      'CC4.1-logging-continuity': 7,
      'CC6.8-unexpected-callers': 7,
      'A1.2-availability': 1,
      'A1.1-capacity': 1,
      'CC6.3-least-privilege': 5,
    });
    expect(byId('measured')['CC6.3-least-privilege']).toBeCloseTo(4 / 14, 10);
    expect(byId('measured')['A1.1-capacity']).toBeCloseTo(2 / 14, 10);
    expect(byId('measured')['A1.2-availability']).toBeCloseTo(12 / 14, 10);
    expect(byId('measured')['CC6.8-unexpected-callers']).toBe(7);
    expect(byId('measured')['CC4.1-logging-continuity']).toBeCloseTo(2 / 3, 12);
    expect(byId('detail')['CC4.1-logging-continuity']).toMatch(/1 silent bucket\(s\) of 3: checkout \(eu\/payments\) 2025-11-26 05:40–06:00 UTC/);
    // Denials are requests: the callee's and the caller's line of each count once.
    expect(byId('measured')['CC6.1-authz-denials']).toBe(2);
    expect(byId('measured')['CC6.6-boundary-denials']).toBe(2);
    expect(field(frame, 'last_evidence').every((t: number) => t === TO - 5000)).toBe(true);
    // One table per bucket (continuity comes from its buckets), one coverage query, one newest-line
    // read per control with evidence, in the last bucket, where the table has its evidence.
    expect(calls.map((c) => c.path.split('/').pop())).toEqual(['query_range', 'query', ...LINE_CONTROLS.map(() => 'query_range')]);
    const reads = calls.slice(2);
    expect(reads.every((c) => Number(String(c.params.start).slice(0, -6)) === TO - 20 * 60_000 && Number(String(c.params.end).slice(0, -6)) === TO)).toBe(true);
    expect(calls.every((c) => c.headers?.['Cache-Control'] === 'no-cache')).toBe(true);
  });

  it("counts a range longer than the tenant's max_query_length window by window, adding the windows' rows", async () => {
    const plan = planQuery({ queryType: 'controls', controls: LINE_IDS }, settings, TO - FROM);
    if (plan.type !== 'controls') {
      throw new Error('expected a controls plan');
    }
    const shape = (q: string) => q.replace(/\[[^\]]+\]/g, '[R]');
    const table = new Set(plan.table.map((t) => shape(t.expr)));
    const sample = (metric: Record<string, string>, value: number) => ({ metric: { cluster: 'eu', dst_service: 'checkout', dst_namespace: 'payments', ...metric }, value: [TO / 1000, String(value)] });
    const rows = (result: unknown[]) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result } });
    const windowRows = [sample({ direction: 'inbound', mtls: 'mtls', status: '200' }, 3), sample({ direction: 'inbound', mtls: 'plaintext', status: '403', authz: 'deny' }, 1)];
    const limitMs = 20 * 60_000;
    const { client, calls } = transport((req) => {
      const query = String(req.params.query);
      // The whole range in one range query is as long as the range: too long.
      if (plan.buckets.queries.some((q) => q.expr === query)) {
        return { status: 400, body: 'the query time range exceeds the limit (query length: 1h0m0s, limit: 20m)' };
      }
      const range = continuity(plan, req);
      if (range) {
        return range;
      }
      if (req.path.endsWith('/query_range')) {
        return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [] } }) };
      }
      if (!table.has(shape(query))) {
        return { status: 200, body: vector('1') };
      }
      // As Loki 3.7.3 measures an instant query: its [range] plus 1 ns.
      const rangeMs = parseDuration(/\[([^\]]+)\]/.exec(query)![1]);
      if (rangeMs >= limitMs) {
        return { status: 400, body: 'the query time range exceeds the limit (query length: 1h0m0.000000001s, limit: 20m)' };
      }
      // Two windows hold requests, the others none.
      const endMs = Number(String(req.params.time).slice(0, -6));
      return { status: 200, body: rows(endMs === TO || endMs === TO - (limitMs - 1000) ? windowRows : []) };
    });
    const [frame] = await runControls(plan, { client, fromMs: FROM, toMs: TO, refId: 'C', settings });
    const byId = (name: string) => Object.fromEntries((field(frame, 'id') as string[]).map((id, i) => [id, field(frame, name)[i]]));
    expect(byId('evidence_count')['CC6.7-mtls']).toBe(2);
    expect(byId('measured')['CC6.7-mtls']).toBeCloseTo(6 / 8, 12);
    expect(byId('measured')['CC6.1-authz-denials']).toBe(2);
    const windows = calls.filter((c) => c.path.endsWith('/query') && table.has(shape(String(c.params.query)))).slice(1);
    expect(windows.map((c) => Number(String(c.params.time).slice(0, -6)))).toEqual(tableWindows(FROM, TO, limitMs).map((w) => w.endMs));
    expect(windows.map((c) => parseDuration(/\[([^\]]+)\]/.exec(String(c.params.query))![1])).reduce((a, b) => a + b, 0)).toBe(TO - FROM);
  });

  it('measures each control by its own queries when Loki refuses the counts table for its series, and says so', async () => {
    const plan = planQuery({ queryType: 'controls', controls: LINE_IDS }, settings, TO - FROM);
    if (plan.type !== 'controls') {
      throw new Error('expected a controls plan');
    }
    const table = new Set([...plan.table, ...plan.buckets.queries].map((t) => t.expr));
    const counts = new Set(Object.values(plan.evidenceCounts).flatMap((qs) => qs.map((q) => q.expr)));
    // The callee logged 7 of the evidence requests, the caller 5 of the same ones.
    const sides = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { dst_service: 'checkout', dst_namespace: 'payments', cluster: 'eu', direction: 'inbound' }, value: [TO / 1000, '7'] },
          { metric: { dst_service: 'checkout', dst_namespace: 'payments', cluster: 'eu', direction: 'outbound' }, value: [TO / 1000, '5'] },
        ],
      },
    });
    const { client, calls } = transport((req) => {
      const query = String(req.params.query);
      if (table.has(query)) {
        return { status: 400, body: readLokiFixture('error_400_max_series.txt') };
      }
      const range = continuity(plan, req);
      if (range) {
        return range;
      }
      if (req.path.endsWith('/query_range')) {
        return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [] } }) };
      }
      return { status: 200, body: counts.has(query) ? sides : vector('0.5') };
    });
    const [frame] = await runControls(plan, { client, fromMs: FROM, toMs: TO, refId: 'C', settings });
    expect(field(frame, 'measured')).toEqual(LINE_CONTROLS.map((c) => (c.id === 'CC4.1-logging-continuity' ? 2 / 3 : 0.5)));
    expect(field(frame, 'evidence_count')).toEqual(LINE_CONTROLS.map(() => 7));
    expect(frame.meta?.notices?.map((n) => n.text)).toEqual([expect.stringMatching(/more series than Loki allows \(max_query_series=\d+\)/)]);
    expect(calls.filter((c) => counts.has(String(c.params.query)))).toHaveLength(counts.size);
  });

  it("measures a policy's own control from the same counts table, beside the catalog's", async () => {
    const forbidden = { field: 'status' as const, compare: '==' as const, value: 403 };
    const own = resolveSettings({
      lokiUid: 'l',
      logSourceMode: 'normalized',
      policy: {
        controls: [
          { id: 'CC6.1-forbidden', criterion: 'CC6.1', title: 'No request is forbidden', description: 'd', measure: 'm', evidence: { kind: 'count', match: [forbidden] }, pass: { atMost: { value: 0 } }, evidenceLogs: [forbidden] },
        ],
      },
    });
    expect(own.policyError).toBeUndefined();
    const plan = planQuery({ queryType: 'controls', controls: ['CC6.1-forbidden', 'CC6.1-authz-denials'] }, own, TO - FROM);
    if (plan.type !== 'controls') {
      throw new Error('expected a controls plan');
    }
    expect(plan.table).toHaveLength(1);
    const sample = (metric: Record<string, string>, value: number) => ({ metric: { cluster: 'eu', dst_service: 'checkout', dst_namespace: 'payments', ...metric }, value: [TO / 1000, String(value)] });
    const rows = JSON.stringify({
      status: 'success',
      data: { resultType: 'vector', result: [sample({ direction: 'inbound', status: '403', authz: 'deny' }, 2), sample({ direction: 'outbound', status: '403' }, 3), sample({ direction: 'inbound', status: '200' }, 9)] },
    });
    const { client } = transport(
      (req) =>
        bucketTable(plan, req, JSON.parse(rows).data.result) ??
        (req.path.endsWith('/query_range') ? { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [] } }) } : { status: 200, body: vector(null) })
    );
    const [frame] = await runControls(plan, { client, fromMs: FROM, toMs: TO, refId: 'C', settings: own });
    // The callee logged 2 forbidden requests, their callers 3: per callee the larger side.
    expect(field(frame, 'id')).toEqual(['CC6.1-forbidden', 'CC6.1-authz-denials']);
    expect(field(frame, 'status')).toEqual(['fail', 'pass']);
    expect(field(frame, 'measured')).toEqual([3, 2]);
  });

  it('CC7.2 baseline anomalies: a service silent for a bucket is a finding; no service at all is no evidence', async () => {
    const plan = planQuery({ queryType: 'controls', controls: ['CC7.2-baseline-anomalies'] }, settings, TO - FROM);
    if (plan.type !== 'controls') {
      throw new Error('expected a controls plan');
    }
    const ends = [1, 2, 3, 4, 5, 6].map((i) => Math.ceil((FROM + 10 * 60_000) / 600_000) * 600_000 + (i - 1) * 600_000).filter((t) => t <= TO);
    const matrix = (result: unknown[]) => ({ status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }) });
    const ledger = { cluster: 'eu', dst_namespace: 'payments', dst_service: 'ledger' };
    // 40 requests a bucket, none in the third; no 5xx.
    const silent = transport((req) =>
      String(req.params.query).includes('status >= 500') ? matrix([]) : matrix([{ metric: ledger, values: ends.filter((_, i) => i !== 2).map((t) => [t / 1000, '40']) }])
    );
    const [frame] = await runControls(plan, { client: silent.client, fromMs: FROM, toMs: TO, refId: 'C', settings });
    expect([field(frame, 'status')[0], field(frame, 'measured')[0], field(frame, 'evidence_count')[0]]).toEqual(['fail', 1, 1]);
    expect(field(frame, 'detail')[0]).toMatch(/^1 finding\(s\): ledger \(eu\): no request logged by its own proxy in /);
    const [none] = await runControls(plan, { client: transport(() => matrix([])).client, fromMs: FROM, toMs: TO, refId: 'C', settings });
    expect([field(none, 'status')[0], field(none, 'detail')[0]]).toEqual(['no-evidence', 'No service logged in the window: there is no baseline to judge.']);
  });

  it('CC7.1: lists the new edges Loki answered as its evidence, and has no value without a baseline', async () => {
    const plan = planQuery({ queryType: 'controls', controls: ['CC7.1-new-edges'] }, settings, TO - FROM);
    if (plan.type !== 'controls') {
      throw new Error('expected a controls plan');
    }
    const [q] = plan.queries;
    const edge = (metric: Record<string, string>, value: number) => ({ metric: { cluster: 'eu', dst_namespace: 'payments', dst_service: 'checkout', ...metric }, value: [TO / 1000, String(value)] as [number, string] });
    const known = { src_namespace: 'shop', src_workload: 'frontend' };
    const baselineExprs = q.edges?.baselineEdges.map((b) => b.expr) ?? [];
    // `bytes`: what Loki's index answers for the baseline's streams (a vector, none, or a refusal).
    const answer = (bytes: 'some' | 'none' | 'refused', baseline = true) =>
      transport((req) => {
        const query = String(req.params.query);
        if (req.path.endsWith('/index/volume')) {
          expect(q.edges?.baselineEdges.map((b) => b.selector)).toContain(query);
          expect(Number(req.params.end) - Number(req.params.start)).toBeGreaterThan(7 * 86_400e9);
          return bytes === 'refused'
            ? { status: 400, body: 'volume disabled' }
            : { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: bytes === 'some' ? [{ metric: { log_type: 'access' }, value: [TO / 1000, '5120'] }] : [] } }) };
        }
        // The window's edges are the counts table's: two lines of one new edge, an edge from an unnamed caller, and a known one.
        const window = [edge({ src_namespace: 'shop', src_workload: 'recommendations', direction: 'inbound' }, 2), edge({ src_namespace: 'shop', src_workload: 'recommendations', direction: 'outbound' }, 2), edge({ direction: 'inbound' }, 1), edge({ ...known, direction: 'inbound' }, 9)];
        const buckets = bucketTable(plan, req, window);
        if (buckets) {
          return buckets;
        }
        // The alert rules' single value and Loki's `unless` are not sent: the table's edges and the baseline's give them.
        expect([q.expr, q.edges?.list, q.edges?.baseline]).not.toContain(query);
        expect(baselineExprs).toContain(query);
        const result = baseline ? [edge(known, 30)] : [];
        return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }) };
      });
    const run = async (t: ReturnType<typeof answer>) => {
      const [frame] = await runControls(plan, { client: t.client, fromMs: FROM, toMs: TO, refId: 'C', settings });
      return { frame, scans: t.calls.filter((c) => baselineExprs.includes(String(c.params.query))).length };
    };
    const found = await run(answer('some'));
    expect([field(found.frame, 'status')[0], field(found.frame, 'measured')[0], field(found.frame, 'evidence_count')[0], found.scans]).toEqual(['fail', 2, 2, 1]);
    expect(field(found.frame, 'detail')[0]).toBe('2 new edge(s): shop/recommendations → payments/checkout (eu): 4 request(s); unknown → payments/checkout (eu): 1 request(s).');
    // Loki refusing the index question does not skip the scan.
    const refused = await run(answer('refused'));
    expect([field(refused.frame, 'measured')[0], refused.scans]).toEqual([2, 1]);
    for (const none of [await run(answer('none')), await run(answer('some', false))]) {
      expect([field(none.frame, 'status')[0], field(none.frame, 'evidence_count')[0]]).toEqual(['no-evidence', 0]);
      expect(field(none.frame, 'detail')[0]).toMatch(/^No access log in the 7 days before the window/);
    }
    // No byte in the baseline: its scan is not sent.
    expect((await run(answer('none'))).scans).toBe(0);
  });

  it('says no-evidence when Loki has no value, never pass; no line in any bucket fails continuity', async () => {
    const plan = planQuery({ queryType: 'controls', controls: LINE_IDS }, settings, TO - FROM);
    if (plan.type !== 'controls') {
      throw new Error('expected a controls plan');
    }
    const { client } = transport((req) =>
      req.path.endsWith('/query_range') ? { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }) } : { status: 200, body: vector(null) }
    );
    const [frame] = await runControls(plan, { client, fromMs: FROM, toMs: TO, refId: 'C', settings });
    expect(field(frame, 'status')).toEqual(LINE_CONTROLS.map((c) => (c.id === 'CC4.1-logging-continuity' ? 'fail' : 'no-evidence')));
    expect(field(frame, 'evidence_count').every((n: number) => n === 0)).toBe(true);
  });

  it('marks controls the policy leaves out of scope as no-evidence with the reason', async () => {
    const bare = resolveSettings({ lokiUid: 'l', logSourceMode: 'normalized' });
    const { client } = transport((req) => (req.path.endsWith('/query_range') ? { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }) } : { status: 200, body: vector('1') }));
    const plan = planQuery({ queryType: 'controls', controls: LINE_IDS }, bare, TO - FROM);
    if (plan.type !== 'controls') {
      throw new Error('expected a controls plan');
    }
    const [frame] = await runControls(plan, { client, fromMs: FROM, toMs: TO, refId: 'C', settings: bare });
    const details = field(frame, 'detail') as string[];
    expect(details.some((d) => d.includes('policy.strictMtlsNamespaces is empty'))).toBe(true);
  });
});

describe('dailyGrid', () => {
  it('evaluates at UTC midnights covering every day of the range', () => {
    const day = 86_400_000;
    const from = Date.UTC(2025, 10, 20, 12);
    expect(dailyGrid(from, Date.UTC(2025, 10, 22, 3))).toEqual({ startMs: Date.UTC(2025, 10, 21), endMs: Date.UTC(2025, 10, 23) });
    const same = dailyGrid(from, from + 1000);
    expect(same.endMs).toBeGreaterThan(same.startMs);
    expect(same.startMs % day).toBe(0);
  });
});

describe('checkHealth (Save & test)', () => {
  const settings = resolveSettings({ lokiUid: 'l', logSourceMode: 'raw', profiles: ['istio-json'] });

  it('reports the profiles it recognises in sampled lines and flags unread ones', async () => {
    const { client, calls } = transport((req) =>
      req.path.endsWith('/labels')
        ? { status: 200, body: JSON.stringify({ status: 'success', data: ['cluster', 'log_type', 'namespace'] }) }
        : { status: 200, body: fixture('drilldown/streams_mesh.json') }
    );
    const result = await checkHealth(client, settings, TO);
    expect(calls.map((c) => c.path)).toEqual(['/loki/api/v1/labels', '/loki/api/v1/query_range']);
    expect(calls[1].params.query).toBe('{log_type="access"}');
    expect(calls[1].params.limit).toBe('50');
    expect(result.status).toBe('warning');
    expect(result.message).toContain('Sampled 5 access-log lines');
    expect(result.message).toContain('istio-json 2');
    expect(result.message).toContain('linkerd-json 1');
    expect(result.message).toContain('unrecognised 1');
    expect(result.message).toMatch(/Loki holds .*linkerd-json.* lines that the configured profiles do not read/);
  });

  it('passes Loki\'s typed error through', async () => {
    const body = readLokiFixture('error_401_no_org_id.txt');
    const { client } = transport(() => ({ status: 401, body }));
    const result = await checkHealth(client, settings, TO);
    expect(result.status).toBe('error');
    expect(result.message).toContain('X-Scope-OrgID');
  });

  it('warns when the log type label is missing', async () => {
    const { client } = transport(() => ({ status: 200, body: JSON.stringify({ status: 'success', data: ['job'] }) }));
    const result = await checkHealth(client, settings, TO);
    expect(result.status).toBe('warning');
    expect(result.message).toContain('none is "log_type"');
  });
});
