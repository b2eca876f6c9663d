import {
  DataSourceApi,
  type AdHocVariableFilter,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceGetTagValuesOptions,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
  LoadingState,
} from '@grafana/data';
import { getTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';
import { LokiClient } from '../core/loki/client';
import { applyAdHocFilters, adHocKeys } from './adhoc';
import { queryError } from './errors';
import { checkHealth } from './health';
import { interpolateQuery } from './interpolate';
import { GrafanaLokiTransport } from './loki/grafanaTransport';
import { limitTransport } from './loki/limitTransport';
import { planExpressions, planQuery, toModel, type PlannedExpression } from '../core/plan';
import { collectEvidence, type CollectEvidenceParams } from './evidence';
import { runControls } from './run/runControls';
import { runLogs } from './run/runLogs';
import { runRetention } from './run/runRetention';
import { runTopology } from './run/runTopology';
import type { RunContext } from './run/context';
import { resolveSettings, type ResolvedSettings } from './settings';
import type { MeshAuditOptions, MeshAuditQuery } from './types';
import { MeshAuditVariableSupport } from './variables/MeshAuditVariableSupport';
import { findValues } from './variables/findValues';
import { toVariableQuery } from './variables/model';

const HOUR_MS = 3_600_000;

export class MeshAuditDataSource extends DataSourceApi<MeshAuditQuery, MeshAuditOptions> {
  readonly settings: ResolvedSettings;

  constructor(
    instanceSettings: DataSourceInstanceSettings<MeshAuditOptions>,
    private readonly templateSrv: () => TemplateSrv = getTemplateSrv,
    private readonly makeClient: (lokiUid: string) => LokiClient = (uid) => new LokiClient(limitTransport(new GrafanaLokiTransport(uid)))
  ) {
    super(instanceSettings);
    this.settings = resolveSettings(instanceSettings.jsonData ?? {});
    this.variables = new MeshAuditVariableSupport(this);
  }

  private lokiClient?: LokiClient;

  /** One client per data source instance: it shares the request limit and the learnt max_query_length. */
  private client(): LokiClient {
    if (this.settings.policyError) {
      throw new Error(`This Mesh Audit data source's policy is not valid, so nothing is measured: ${this.settings.policyError}`);
    }
    if (!this.settings.lokiUid) {
      throw new Error('This Mesh Audit data source has no Loki data source configured: pick one in its settings.');
    }
    this.lokiClient ??= this.makeClient(this.settings.lokiUid);
    return this.lokiClient;
  }

  /** A new target starts as a topology query with every option spelled out (no refId: Grafana assigns it). */
  getDefaultQuery(): Partial<MeshAuditQuery> {
    return toModel({});
  }

  filterQuery(query: MeshAuditQuery): boolean {
    return !query.hide;
  }

  /** The target as it will run: variables replaced in model values, ad-hoc filters merged. */
  applyVariables(query: MeshAuditQuery, scopedVars: ScopedVars | undefined, adHoc?: AdHocVariableFilter[]): MeshAuditQuery {
    const interpolated = interpolateQuery(query, this.templateSrv(), scopedVars);
    return { ...interpolated, filters: applyAdHocFilters(interpolated.filters ?? {}, adHoc, this.settings.labelNames) };
  }

  /**
   * What the editor shows: the LogQL this target sends for the range, each with how it runs, or
   * the message that stops it. Variables are interpolated when Grafana's template service exists.
   */
  preview(query: MeshAuditQuery, rangeMs = HOUR_MS): { expressions: PlannedExpression[]; error?: string } {
    try {
      const templateSrv = this.templateSrv();
      const resolved = templateSrv ? this.applyVariables(query, undefined) : query;
      return { expressions: planExpressions(planQuery(resolved, this.settings, rangeMs)) };
    } catch (error) {
      return { expressions: [], error: error instanceof Error ? error.message : String(error) };
    }
  }

  interpolateVariablesInQueries(queries: MeshAuditQuery[], scopedVars: ScopedVars, filters?: AdHocVariableFilter[]): MeshAuditQuery[] {
    return queries.map((q) => this.applyVariables(q, scopedVars, filters));
  }

  /** Unsubscribing (a refresh, a closed panel) aborts the Loki requests still in flight. */
  query(request: DataQueryRequest<MeshAuditQuery>): Observable<DataQueryResponse> {
    return new Observable<DataQueryResponse>((subscriber) => {
      const abort = new AbortController();
      this.runTargets(request, abort.signal).then(
        (response) => {
          subscriber.next(response);
          subscriber.complete();
        },
        (error) => subscriber.error(error)
      );
      return () => abort.abort();
    });
  }

  private async runTargets(request: DataQueryRequest<MeshAuditQuery>, signal: AbortSignal): Promise<DataQueryResponse> {
    const data: DataFrame[] = [];
    const errors: DataQueryError[] = [];
    const fromMs = request.range.from.valueOf();
    const toMs = request.range.to.valueOf();
    await Promise.all(
      request.targets.filter((t) => this.filterQuery(t)).map(async (target) => {
        try {
          const run: RunContext = { client: this.client(), fromMs, toMs, refId: target.refId, settings: this.settings, signal };
          const query = this.applyVariables(target, request.scopedVars, request.filters);
          const plan = planQuery(query, this.settings, toMs - fromMs);
          const frames =
            plan.type === 'topology'
              ? await runTopology(plan, run)
              : plan.type === 'controls'
                ? await runControls(plan, run)
                : plan.type === 'retention'
                  ? await runRetention(plan, run)
                  : await runLogs(plan, run);
          data.push(...frames);
        } catch (error) {
          errors.push(queryError(target.refId, error));
        }
      })
    );
    return { data, errors: errors.length > 0 ? errors : undefined, state: errors.length > 0 ? LoadingState.Error : LoadingState.Done };
  }

  /**
   * An audit window's status and full evidence population per control, through the Loki data
   * source's proxy route (no credentials in the browser): the app's Evidence export page.
   */
  exportEvidence(params: Omit<CollectEvidenceParams, 'client' | 'settings'>): ReturnType<typeof collectEvidence> {
    return collectEvidence({ ...params, client: this.client(), settings: this.settings });
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (!this.settings.lokiUid) {
      return { status: 'error', message: 'Pick the Loki data source that holds the mesh access logs.' };
    }
    return checkHealth(this.client(), this.settings, Date.now());
  }

  /** Legacy variable API (also used by the query editor's value suggestions). */
  async metricFindQuery(query: unknown, options?: { range?: { from: { valueOf(): number }; to: { valueOf(): number } }; scopedVars?: ScopedVars }): Promise<MetricFindValue[]> {
    const q = toVariableQuery(query);
    const filters = interpolateQuery({ refId: q.refId, filters: q.filters }, this.templateSrv(), options?.scopedVars).filters ?? {};
    const toMs = options?.range?.to.valueOf() ?? Date.now();
    const fromMs = options?.range?.from.valueOf() ?? toMs - HOUR_MS;
    return findValues(q.kind, filters, this.client(), this.settings, { fromMs, toMs });
  }

  async getTagKeys(): Promise<MetricFindValue[]> {
    return adHocKeys(this.settings.labelNames).map((k) => ({ text: k.label, value: k.label }));
  }

  async getTagValues(options: DataSourceGetTagValuesOptions<MeshAuditQuery>): Promise<MetricFindValue[]> {
    const key = adHocKeys(this.settings.labelNames).find((k) => k.label === options.key)?.key;
    if (!key) {
      return [];
    }
    const kind = ({ platform: 'platforms', cluster: 'clusters', namespace: 'namespaces' } as const)[key];
    const toMs = options.timeRange?.to.valueOf() ?? Date.now();
    const fromMs = options.timeRange?.from.valueOf() ?? toMs - HOUR_MS;
    const others = applyAdHocFilters({}, options.filters?.filter((f) => f.key !== options.key), this.settings.labelNames);
    return findValues(kind, others, this.client(), this.settings, { fromMs, toMs });
  }
}
