/**
 * The retention comparisons (issue 12), shared by the live test on a real Loki and its replay in
 * CI: the data source's own `query()` for the `retention` query type over the retention window,
 * against what was pushed (retention-window.ts) and against the project's loki.yaml.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { parse } from 'yaml';
import { dateTime, type DataFrame, type DataQueryRequest } from '@grafana/data';
import type { BackendSrv, BackendSrvRequest } from '@grafana/runtime';
import { DAY_MS, RETENTION_FIELD as R } from '../../src/core/frames';
import { LokiClient } from '../../src/core/loki/client';
import { parseDurationMs } from '../../src/core/loki/duration';
import type { IndexStats } from '../../src/core/loki/types';
import { limitsFromLokiConfig, resolveRetention, retentionLimitsOf } from '../../src/core/retention/configured';
import { GrafanaLokiTransport } from '../../src/datasource/loki/grafanaTransport';
import type { MeshAuditQuery } from '../../src/datasource/types';
import { column, dataSource } from './conformance';
import { POLICY } from './policy';
import {
  CAPPED_LOKI_UID,
  CAPPED_TENANT,
  OVERRIDE_LOKI_UID,
  OVERRIDE_TENANT,
  RETENTION_LOKI_UID,
  RETENTION_RANGE,
  RETENTION_TENANT,
  RUNTIME_OVERRIDES,
  SEED_STREAMS,
  YEAR_LOKI_UID,
  YEAR_TENANT,
  YEAR_WINDOW,
  linesPerStreamDay,
  seededDays,
} from './retention-window';
import { LOGGEN_DAYS, LOGGEN_DAYS_LOKI_UID, LOGGEN_DAYS_TENANT, LOGGEN_GAP_DAY_MS, LOGGEN_RANGE } from './retention-loggen';

export const RETENTION_TENANTS = {
  [RETENTION_LOKI_UID]: RETENTION_TENANT,
  [CAPPED_LOKI_UID]: CAPPED_TENANT,
  [OVERRIDE_LOKI_UID]: OVERRIDE_TENANT,
  [YEAR_LOKI_UID]: YEAR_TENANT,
  [LOGGEN_DAYS_LOKI_UID]: LOGGEN_DAYS_TENANT,
};

export interface RetentionAnswers {
  frame: DataFrame;
  /** Requests the data source sent for one retention query. */
  requests: number;
  /** Loki's published tenant limits (drilldown-limits), as the data source read them. */
  publishedLimits: Record<string, unknown>;
  /** index/stats per policy class over the window: what Loki's index holds. */
  stats: Record<string, IndexStats>;
  /** The same query over 400 days of the year tenant. */
  year: { frame: DataFrame; requests: number };
  /** The same query over loggen's days (retention-loggen.ts). */
  loggen: { frame: DataFrame; requests: number };
  /** The override tenant's published limits, when asked for. */
  overrideLimits?: Record<string, unknown>;
  /** What the retention query said for the tenant capped at 2 stream groups, when asked for. */
  cappedError?: string;
}

function counting(backendSrv: BackendSrv): { backendSrv: BackendSrv; count: () => number } {
  let n = 0;
  const fetch = (req: BackendSrvRequest) => {
    n += 1;
    return backendSrv.fetch(req);
  };
  return { backendSrv: { ...backendSrv, fetch } as BackendSrv, count: () => n };
}

function retentionRequest(range: { fromMs: number; toMs: number }): DataQueryRequest<MeshAuditQuery> {
  const from = dateTime(range.fromMs);
  const to = dateTime(range.toMs);
  return {
    targets: [{ refId: 'A', queryType: 'retention' }],
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    requestId: 'retention',
    interval: '1h',
    intervalMs: 3_600_000,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  } as DataQueryRequest<MeshAuditQuery>;
}

/** The override tenant's limits as Loki publishes them (drilldown-limits). */
export async function overrideTenantLimits(backendSrv: BackendSrv): Promise<Record<string, unknown>> {
  return (await new LokiClient(new GrafanaLokiTransport(OVERRIDE_LOKI_UID, () => backendSrv)).drilldownLimits()).limits;
}

/** What the override tenant's limits should be, by limitsFromLokiConfig; `source` named as retentionLimitsOf(…, 'x') names it. */
export const expectedOverrideLimits = () => ({
  ...limitsFromLokiConfig(lokiYaml(), RUNTIME_OVERRIDES, OVERRIDE_TENANT),
  source: 'x',
});

/** The data source's retention query over a range, and how many Loki requests it took. */
async function retentionQuery(backendSrv: BackendSrv, lokiUid: string, range: { fromMs: number; toMs: number }) {
  const counted = counting(backendSrv);
  const ds = dataSource('normalized', counted.backendSrv, POLICY, lokiUid);
  const response = await lastValueFrom(ds.query(retentionRequest(range)));
  if (response.errors?.length) {
    throw new Error(`the retention query failed: ${response.errors.map((e) => e.message).join('; ')}`);
  }
  return { frame: (response.data as DataFrame[])[0], requests: counted.count() };
}

export async function askRetention(backendSrv: BackendSrv, withOverrides: boolean): Promise<RetentionAnswers> {
  const { frame, requests } = await retentionQuery(backendSrv, RETENTION_LOKI_UID, RETENTION_RANGE);
  const year = await retentionQuery(backendSrv, YEAR_LOKI_UID, YEAR_WINDOW.range);
  const loggen = await retentionQuery(backendSrv, LOGGEN_DAYS_LOKI_UID, LOGGEN_RANGE);
  const client = new LokiClient(new GrafanaLokiTransport(RETENTION_LOKI_UID, () => backendSrv));
  const publishedLimits = (await client.drilldownLimits()).limits;
  const stats: Record<string, IndexStats> = {};
  for (const c of POLICY.logClasses) {
    const selector = `{${Object.entries(c.selector)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(', ')}}`;
    stats[c.name] = await client.indexStats({
      query: selector,
      ...{ startMs: RETENTION_RANGE.fromMs, endMs: RETENTION_RANGE.toMs },
    });
  }
  const overrideLimits = withOverrides ? await overrideTenantLimits(backendSrv) : undefined;
  const cappedError = withOverrides
    ? await retentionQuery(backendSrv, CAPPED_LOKI_UID, RETENTION_RANGE).then(
        () => 'no error',
        (error: unknown) => (error instanceof Error ? error.message : String(error))
      )
    : undefined;
  return { frame, requests, publishedLimits, stats, overrideLimits, cappedError, year, loggen };
}

const lokiYaml = () => parse(readFileSync(join(__dirname, '../../provisioning/loki/loki.yaml'), 'utf8'));
const inClass = (selector: Record<string, string>) => (labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface ClassRows {
  covered: number[];
  status: string;
  reason: string;
  configuredDays: number | null;
}

function byClass(frame: DataFrame): Map<string, ClassRows> {
  const names = column(frame, R.logClass);
  const days = column(frame, R.day);
  const bytes = column(frame, R.bytes);
  const status = column(frame, R.status);
  const reason = column(frame, R.reason);
  const configured = column(frame, R.configuredDays);
  const out = new Map<string, ClassRows>();
  names.forEach((n, i) => {
    const row = out.get(String(n)) ?? {
      covered: [],
      status: String(status[i]),
      reason: String(reason[i]),
      configuredDays: configured[i] as number | null,
    };
    if (Number(bytes[i]) > 0) {
      row.covered.push(Number(days[i]));
    }
    out.set(String(n), row);
  });
  return out;
}

export function describeRetention(
  get: () => RetentionAnswers | Error | undefined,
  skip: string | null,
  overridesSkip: string | null
): void {
  const d = skip ? describe.skip : describe;
  d(`retention from Loki's index${skip ? ` (skipped: ${skip})` : ''}`, () => {
    const answers = (): RetentionAnswers => {
      const a = get();
      if (a instanceof Error) {
        throw a;
      }
      if (!a) {
        throw new Error('no answers');
      }
      return a;
    };

    it('one request for the limits and one volume request for every class over the window', () => {
      expect(answers().requests).toBe(2);
    });

    it.each(POLICY.logClasses.map((c) => [c.name, c] as const))(
      '%s: covered days, the oldest day and every gap day are the pushed ones',
      (name, c) => {
        const rows = byClass(answers().frame).get(name)!;
        const truth = seededDays(inClass(c.selector));
        expect(rows.covered.map(isoDay)).toEqual(truth.map(isoDay));
        const all = Array.from(
          { length: (RETENTION_RANGE.toMs - RETENTION_RANGE.fromMs) / DAY_MS },
          (_, i) => RETENTION_RANGE.fromMs + i * DAY_MS
        );
        const gaps = all.filter((day) => !truth.includes(day));
        expect(rows.status).toBe(gaps.length > 0 ? 'gap' : 'range-too-short');
        const inside = gaps.filter((g) => g > truth[0]);
        if (inside.length > 0) {
          expect(rows.reason).toContain(
            `${inside.length} day(s) without data after ${isoDay(truth[0])}: ${inside.map(isoDay).join(', ')}`
          );
        }
        // A gap day links to the class's lines around it in Explore, through the Loki data source.
        const names = column(answers().frame, R.logClass);
        const links = column(answers().frame, R.explore).filter((_, i) => names[i] === name);
        const linked = all.filter((_, i) => links[i] !== '');
        expect(linked.map(isoDay)).toEqual(gaps.map(isoDay));
        for (const link of links.filter((l) => l !== '')) {
          expect(decodeURIComponent(String(link))).toContain(`"uid":"${RETENTION_LOKI_UID}"`);
          expect(decodeURIComponent(String(link))).toContain(
            Object.entries(c.selector)
              .map(([k, v]) => `${k}=\\"${v}\\"`)
              .join(', ')
          );
        }
        if (truth[0] > RETENTION_RANGE.fromMs) {
          expect(rows.reason).toContain(`no data before ${isoDay(truth[0])}`);
        }
      }
    );

    it.each(POLICY.logClasses.map((c) => [c.name, c] as const))(
      "loggen's days, %s: the gap day it did not run and the oldest day, at the retention loki.yaml configures, in two requests",
      (name, c) => {
        const { frame, requests } = answers().loggen;
        expect(requests).toBe(2);
        const rows = byClass(frame).get(name)!;
        expect(rows.covered.map(isoDay)).toEqual(LOGGEN_DAYS.map(isoDay));
        expect(rows.status).toBe('gap');
        expect(rows.reason).toContain(`1 day(s) without data after ${isoDay(LOGGEN_DAYS[0])}: ${isoDay(LOGGEN_GAP_DAY_MS)}`);
        // test/as-code keeps loki.yaml's retention rules equal to the policy's requirements.
        expect(rows.configuredDays).toBe(c.retentionDays);
      }
    );

    (overridesSkip ? it.skip : it)(
      `a tenant's runtime overrides replace the global retention_stream, as limitsFromLokiConfig reads them${overridesSkip ? ` (skipped: ${overridesSkip})` : ''}`,
      () => {
        const published = retentionLimitsOf(answers().overrideLimits, 'x');
        expect(published).toEqual(expectedOverrideLimits());
        expect(published.rules.map((r) => r.selector)).toEqual(['{log_type="audit"}']);
        expect(published.retentionPeriodMs).toBe(31 * DAY_MS);
      }
    );

    (overridesSkip ? it.skip : it)(
      `more stream groups than volume_max_series: the query fails and says which limit, it does not drop a class${overridesSkip ? ` (skipped: ${overridesSkip})` : ''}`,
      () => {
        expect(answers().cappedError).toContain('volume_max_series (2)');
        expect(answers().cappedError).toContain('raise limits_config.volume_max_series');
      }
    );

    it("Loki's published retention limits are the project's loki.yaml, read the same way", () => {
      const published = retentionLimitsOf(answers().publishedLimits, 'x');
      const fromYaml = limitsFromLokiConfig(lokiYaml(), undefined, RETENTION_TENANT, 'x');
      expect(published).toEqual(fromYaml);
    });

    it.each(POLICY.logClasses.map((c) => [c.name, c] as const))(
      "%s: configured retention is loki.yaml's resolution for the class's pushed streams",
      (name, c) => {
        const limits = limitsFromLokiConfig(lokiYaml(), undefined, RETENTION_TENANT);
        const periods = SEED_STREAMS.filter((s) => inClass(c.selector)(s.labels)).map(
          (s) => resolveRetention(limits, s.labels).periodMs
        );
        expect(byClass(answers().frame).get(name)!.configuredDays).toBe(Math.min(...periods) / DAY_MS);
      }
    );

    it('400 days: one limits request and one volume_range per window of the published max_query_length', () => {
      const maxLengthMs = parseDurationMs(String(answers().publishedLimits.max_query_length))!;
      const { fromMs, toMs } = YEAR_WINDOW.range;
      expect(answers().year.requests).toBe(1 + Math.ceil((toMs - 1 - fromMs) / maxLengthMs));
      expect(answers().year.requests).toBe(3);
    });

    it.each(POLICY.logClasses.map((c) => [c.name, c] as const))(
      '400 days, %s: covered days exact on both sides of the window boundary',
      (name, c) => {
        const rows = byClass(answers().year.frame).get(name)!;
        const truth = seededDays(inClass(c.selector), YEAR_WINDOW);
        expect(rows.covered.map(isoDay)).toEqual(truth.map(isoDay));
        expect(rows.status).toBe('gap');
        expect(rows.reason).toContain(
          truth.length === 0
            ? 'No data in any of the 400 days'
            : `${400 - truth.length} day(s) without data after ${isoDay(truth[0])}`
        );
      }
    );

    // index/stats is approximate: on Loki 3.7.3, over this window, it counted 1920 entries for 1344
    // pushed access lines while the ingester still held the chunks (1344 after a restart), and 14
    // streams for 2 (it sums its 24h splits), so it can show that nothing is missing, not exact counts.
    it.each(POLICY.logClasses.map((c) => [c.name, c] as const))(
      "%s: Loki's index/stats holds at least every pushed line of the class",
      (name, c) => {
        const streams = SEED_STREAMS.filter((s) => inClass(c.selector)(s.labels));
        expect(answers().stats[name].entries).toBeGreaterThanOrEqual(
          streams.reduce((n, s) => n + s.days.length * linesPerStreamDay, 0)
        );
        expect(answers().stats[name].streams).toBeGreaterThanOrEqual(streams.length);
      }
    );
  });
}
