/**
 * The real-path conformance comparisons, shared by the live suite (a real Loki at LOKI_URL) and
 * its replay in CI (the answers the live run recorded): the data source's own `query()` for every
 * query type, through the Loki data source's proxy route, against loggen's truth. Browser-safe:
 * the playground draws its demo from the same queries over the recorded answers.
 */
import { lastValueFrom } from 'rxjs';
import { dateTime, type DataFrame, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import type { BackendSrv } from '@grafana/runtime';
import { CONTROL_IDS } from '../../src/core/controls';
import { findAnomalies, type Anomaly } from '../../src/core/evidence/anomalies';
import { controlTrends, type ControlTrends } from '../../src/core/evidence/trend';
import type { ControlEvidenceExport } from '../../src/core/evidence/population';
import { collectEvidence } from '../../src/datasource/evidence';
import { LokiClient } from '../../src/core/loki/client';
import { planQuery } from '../../src/core/plan';
import { singleValue } from '../../src/datasource/run/runControls';
import type { LoggingPolicy } from '../../src/core/policy';
import { MeshAuditDataSource } from '../../src/datasource/datasource';
import { GrafanaLokiTransport } from '../../src/datasource/loki/grafanaTransport';
import { limitTransport } from '../../src/datasource/loki/limitTransport';
import { fakeTemplateSrv } from '../support/templateSrv';
import type { MeshAuditOptions, MeshAuditQuery } from '../../src/datasource/types';
import { EXPORTED_CONTROLS, FIRST_WINDOW, LOKI_UIDS, type ConformanceWindow, type Leg } from './window';

/** Source mode of each leg's Mesh Audit data source: normalised JSON, or raw lines read in `auto` mode. */
const MODE: Record<Leg, MeshAuditOptions['logSourceMode']> = { normalized: 'normalized', raw: 'auto' };

/** The Loki client the data source builds for a Loki data source uid, over the given BackendSrv. */
function lokiClient(backendSrv: BackendSrv, uid: string): LokiClient {
  return new LokiClient(limitTransport(new GrafanaLokiTransport(uid, () => backendSrv)));
}

/** The leg's Mesh Audit data source with policy.example.yaml's policy, over the given BackendSrv. */
export function dataSource(leg: Leg, backendSrv: BackendSrv, policy: LoggingPolicy, lokiUid = LOKI_UIDS[leg]): MeshAuditDataSource {
  const jsonData: MeshAuditOptions = { lokiUid, logSourceMode: MODE[leg], policy };
  return new MeshAuditDataSource(
    { uid: `mesh-audit-${leg}`, name: `Mesh Audit (${leg})`, jsonData } as DataSourceInstanceSettings<MeshAuditOptions>,
    () => fakeTemplateSrv({}),
    (uid) => lokiClient(backendSrv, uid)
  );
}

export function queryRequest(target: Omit<MeshAuditQuery, 'refId'>, range = FIRST_WINDOW.range): DataQueryRequest<MeshAuditQuery> {
  const from = dateTime(range.fromMs);
  const to = dateTime(range.toMs);
  return {
    targets: [{ refId: 'A', ...target }],
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    requestId: 'conformance',
    interval: '1m',
    intervalMs: 60_000,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  } as DataQueryRequest<MeshAuditQuery>;
}

/** The frames of one target; a query error fails loudly with Loki's message. */
export async function framesOf(ds: MeshAuditDataSource, target: Omit<MeshAuditQuery, 'refId'>, range = FIRST_WINDOW.range): Promise<DataFrame[]> {
  const response = await lastValueFrom(ds.query(queryRequest(target, range)));
  if (response.errors?.length) {
    throw new Error(`query ${JSON.stringify(target)} failed: ${response.errors.map((e) => e.message).join('; ')}`);
  }
  return response.data as DataFrame[];
}

export function column(frame: DataFrame, name: string): unknown[] {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`no field ${name} in frame ${frame.name}`);
  }
  return [...field.values];
}

export function frameNamed(frames: DataFrame[], name: string): DataFrame {
  const frame = frames.find((f) => f.name === name);
  if (!frame) {
    throw new Error(`no ${name} frame among ${frames.map((f) => f.name).join(', ')}`);
  }
  return frame;
}

/** What the suite asks each leg, in a fixed order so that a replay sends the same requests. */
export const TARGETS = {
  topology: { queryType: 'topology' },
  controls: { queryType: 'controls' },
  retention: { queryType: 'retention' },
  edgeLogs: { queryType: 'logs', logs: { srcWorkload: 'recommendations', dstService: 'payments-api', limit: 1000 } },
  controlLogs: { queryType: 'logs', logs: { controlId: 'CC6.7-mtls', limit: 1000 } },
} as const satisfies Record<string, Omit<MeshAuditQuery, 'refId'>>;

export type TargetName = keyof typeof TARGETS;
export type LegAnswers = Record<TargetName, { first: DataFrame[]; second: DataFrame[]; ms: number }> & {
  /** Each control's value as its alert rule's LogQL evaluates it (null: no series). */
  ruleValues: Record<string, number | null>;
  /** The exported evidence population of each control in EXPORTED_CONTROLS. */
  evidence: Record<string, ControlEvidenceExport>;
  /** Each callee against its own baseline over the window (core/evidence/anomalies.ts). */
  anomalies: Anomaly[];
  /** Every table-measured control per bucket of the window, as the report charts it (core/evidence/trend.ts). */
  trends: ControlTrends;
  /** Each control's newest evidence line (epoch ms), read across the whole window: what the table's last bucket must give. */
  newestEvidence: Record<string, number | null>;
  /** What Loki holds of the window's audit class (`{log_type="audit"}`), oldest first; absent when the window ships no audit line. */
  audit?: Array<{ labels: Record<string, string>; timeNs: string; line: string }>;
};

/** Small pages, so that paging and its boundary millisecond are exercised on the real Loki. */
const EXPORT_PAGE_LINES = 100;

/**
 * The per-control LogQL that alert rules evaluate, run once each through the same proxy route at
 * the end of the range: the data source reads the same values from its counts table, and a rule
 * that disagreed would alert on a different truth than the panel shows.
 */
async function ruleValues(ds: MeshAuditDataSource, client: LokiClient, range: ConformanceWindow['range']): Promise<Record<string, number | null>> {
  const plan = planQuery({ queryType: 'controls' }, ds.settings, range.toMs - range.fromMs);
  if (plan.type !== 'controls') {
    throw new Error('expected a controls plan');
  }
  const values: Record<string, number | null> = {};
  // A continuity control's query is a range query judged bucket by bucket: no alert rule runs it.
  for (const q of plan.queries) {
    if (q.expr !== null && q.stepMs === undefined) {
      values[q.controlId] = singleValue(await client.instantQuery({ query: q.expr, timeMs: range.toMs, noCache: true }), q.controlId);
    }
  }
  return values;
}

/** The newest line of each control's evidence log queries over the whole window, as no table narrows it. */
async function newestEvidence(ds: MeshAuditDataSource, client: LokiClient, range: ConformanceWindow['range']): Promise<Record<string, number | null>> {
  const plan = planQuery({ queryType: 'controls' }, ds.settings, range.toMs - range.fromMs);
  if (plan.type !== 'controls') {
    throw new Error('expected a controls plan');
  }
  const newest: Record<string, number | null> = {};
  for (const q of plan.queries.filter((c) => c.newest.length > 0)) {
    let latest: number | null = null;
    for (const l of q.newest) {
      const response = await client.queryRange({ query: l.expr, startMs: range.fromMs, endMs: range.toMs, limit: 1, direction: 'backward', noCache: true });
      for (const entry of response.resultType === 'streams' ? response.result.flatMap((s) => s.entries) : []) {
        latest = Math.max(latest ?? 0, Number(entry.timeNs.slice(0, -6)));
      }
    }
    newest[q.controlId] = latest;
  }
  return newest;
}

/** Every target twice in a row: evidence must not change between two reads of the same data. */
export async function askLeg(ds: MeshAuditDataSource, backendSrv: BackendSrv, leg: Leg, window = FIRST_WINDOW): Promise<LegAnswers> {
  const answers = {} as LegAnswers;
  for (const name of Object.keys(TARGETS) as TargetName[]) {
    const started = performance.now();
    const first = await framesOf(ds, TARGETS[name], window.range);
    const ms = performance.now() - started;
    const second = await framesOf(ds, TARGETS[name], window.range);
    answers[name] = { first, second, ms };
  }
  const client = lokiClient(backendSrv, LOKI_UIDS[leg]);
  answers.ruleValues = await ruleValues(ds, client, window.range);
  // As `mesh-audit report --control ...` and the Evidence export page collect them, so the CLI's replay test sends only recorded requests.
  const collected = await collectEvidence({ client, settings: ds.settings, fromMs: window.range.fromMs, toMs: window.range.toMs, controls: EXPORTED_CONTROLS, pageLines: EXPORT_PAGE_LINES });
  answers.evidence = Object.fromEntries(collected.controls.flatMap((c) => (c.evidence ? [[c.id, c.evidence]] : [])));
  answers.anomalies = (await findAnomalies({ client, settings: ds.settings, fromMs: window.range.fromMs, toMs: window.range.toMs })).anomalies;
  answers.trends = await controlTrends({ client, settings: ds.settings, controlIds: CONTROL_IDS, fromMs: window.range.fromMs, toMs: window.range.toMs });
  answers.newestEvidence = await newestEvidence(ds, client, window.range);
  const audit = window.auditLines();
  if (audit.length > 0) {
    // One more than shipped, so a duplicate would show; categorized, so the stream labels are the stream's alone (Loki adds detected_level as structured metadata).
    const held = await client.queryRange({ query: '{log_type="audit"}', startMs: window.range.fromMs, endMs: window.range.toMs, limit: audit.length + 1, direction: 'forward', noCache: true, categorizeLabels: true });
    answers.audit = held.resultType === 'streams' ? held.result.flatMap((s) => s.entries.map((e) => ({ labels: s.labels, timeNs: e.timeNs, line: e.line }))) : [];
  }
  return answers;
}

/** A frame's content without presentation config: what two runs must agree on. */
export function frameValues(frames: DataFrame[]): unknown {
  return frames.map((f) => ({ name: f.name, fields: f.fields.map((x) => [x.name, [...x.values]]) }));
}

/**
 * What a case's tests run with: `test`, which skips saying why when the case cannot run, and
 * `answers()`, the case's answers or the error that stopped it (each test then fails with it).
 */
export function liveCase<T>(answers: () => T | Error | undefined, skip: string | null, notRun: string) {
  const test = skip === null ? it : (name: string, fn: () => unknown) => it.skip(`${name} (skipped: ${skip})`, fn as () => void);
  const got = (): T => {
    const answer = answers();
    if (answer === undefined || answer instanceof Error) {
      throw answer ?? new Error(notRun);
    }
    return answer;
  };
  return { test, answers: got };
}
