/**
 * The query plan: what one target sends to Loki, built only by core's builders. The data source
 * runs it, the query editor previews it and `mesh-audit logql` prints it, so all three show the
 * same LogQL with how it runs (instant metric, range metric or log query).
 */
import {
  buildControlQueries,
  buildLogsQueries,
  buildRetentionQueries,
  buildTopologyQueries,
  controlInScope,
  queryContext,
  RETENTION_STEP_MS,
  STATUS_LABEL,
  type ControlQuery,
  type LogsQuery,
  type QueryContext,
  type RetentionQuery,
  type TopologyQuery,
} from './queries';
import { buildControlTableQueries, buildEvidenceCountQueries, measuredFromTable, onTable, tableStepMs, type ControlTableQuery } from './queries/control-table';
import { getControl, type ControlDefinition } from './controls';
import { buildRetentionIndexRequests } from './queries/retention-index';
import { ANOMALY_STEP_MS, buildAnomalyQueries, type AnomalySeriesQuery } from './queries/anomalies';
import { formatDuration } from './logql';
import type { LoggingPolicy } from './policy';
import { DEFAULT_TOPOLOGY_OPTIONS, type LabelNames, type LogSource, type LogsOptions, type MeshAuditQueryModel, type StreamFilters, type TopologyOptions } from './query';

/** What planning needs of the data source's settings. */
export interface PlanSettings {
  logSource: LogSource;
  labelNames: LabelNames;
  policy: LoggingPolicy;
}

export const DEFAULT_LOGS_LIMIT = 100;

export type QueryPlan =
  /** `fallback`, for raw sources: the same without the status split, sent only if Loki refuses `queries` for their series count. */
  | { type: 'topology'; options: TopologyOptions; queries: TopologyQuery[]; fallback?: TopologyQuery[] }
  /**
   * `table` carries every in-scope control's counts (control-table.ts); coverage controls also
   * send their `expr`. `evidenceCounts` is sent only if Loki refuses the table for its series
   * count: each control then sends its `expr` and these.
   */
  | {
      type: 'controls';
      queries: ControlQuery[];
      table: ControlTableQuery[];
      /**
       * The same table per bucket of `stepMs` (evidence/table-buckets.ts), which the data source
       * sends when the range holds whole buckets, with `table`'s expression over the range's head
       * and tail: one scan that also gives the continuity and anomaly buckets, the window's edges
       * and where each control's newest evidence line is.
       */
      buckets: { stepMs: number; queries: ControlTableQuery[] };
      evidenceCounts: Record<string, ControlTableQuery[]>;
      /** Every policy log class, when a retention control is in scope (it reads the index as the retention query does). */
      retention: RetentionQuery[];
      /** The baseline-anomaly control's range queries (evidence/anomalies.ts runs the same), when it is in scope. */
      anomalies: AnomalySeriesQuery[];
      filters: StreamFilters;
    }
  | { type: 'retention'; queries: RetentionQuery[] }
  | { type: 'logs'; queries: LogsQuery[] };

/** A stored target with every default filled in. */
export function toModel(query: Partial<MeshAuditQueryModel>): MeshAuditQueryModel {
  const logs: LogsOptions = { limit: DEFAULT_LOGS_LIMIT, ...query.logs };
  return {
    queryType: query.queryType ?? 'topology',
    filters: query.filters ?? {},
    topology: { ...DEFAULT_TOPOLOGY_OPTIONS, ...query.topology },
    controls: query.controls ?? [],
    retentionClasses: query.retentionClasses ?? [],
    logs,
  };
}

/** The default profile stages carry each format's line-shape filter, which keeps sibling formats of one mesh from counting each other's lines. */
export function contextFor(settings: PlanSettings): QueryContext {
  return queryContext({ source: settings.logSource, labels: settings.labelNames });
}

/**
 * The LogQL a target turns into, built only by core's builders: the same strings `query()` sends
 * and the query editor shows. `rangeMs` is the window metric queries aggregate over (the
 * dashboard range). Throws LogqlError / InterpolationError with a clear message on bad input.
 */
export function planQuery(query: Partial<MeshAuditQueryModel>, settings: PlanSettings, rangeMs: number): QueryPlan {
  const model = toModel(query);
  const ctx = contextFor(settings);
  switch (model.queryType) {
    case 'topology': {
      const options = model.topology!;
      const queries = buildTopologyQueries(model.filters, options, rangeMs, ctx);
      const split = queries.some((q) => q.splits?.includes(STATUS_LABEL));
      return { type: 'topology', options, queries, ...(split ? { fallback: buildTopologyQueries(model.filters, options, rangeMs, ctx, false) } : {}) };
    }
    case 'controls': {
      const queries = buildControlQueries(model.controls!, model.filters, rangeMs, settings.policy, ctx);
      const inScope = queries.filter((q) => q.expr !== null).map((q) => getControl(q.controlId, settings.policy)!);
      const onTheTable = tableControls(queries, settings.policy);
      const table = onTheTable.length === 0 ? [] : buildControlTableQueries(onTheTable, model.filters, rangeMs, ctx);
      const stepMs = tableStepMs(onTheTable, settings.policy, rangeMs);
      const buckets = { stepMs, queries: onTheTable.length === 0 ? [] : buildControlTableQueries(onTheTable, model.filters, stepMs, ctx) };
      // Controls whose evidence is a table (CC7.1) have no lines to count.
      const evidenceCounts = Object.fromEntries(
        inScope.filter((c) => c.evidenceLogs.length > 0).map((c) => [c.id, buildEvidenceCountQueries(c, model.filters, rangeMs, settings.policy, ctx)])
      );
      const retention = queries.some((q) => q.judgedBy === 'retention') ? buildRetentionQueries([], model.filters, settings.policy, settings.labelNames) : [];
      const anomalies = queries.some((q) => q.judgedBy === 'anomalies') ? buildAnomalyQueries(model.filters, ANOMALY_STEP_MS, settings.policy, ctx) : [];
      return { type: 'controls', queries, table, buckets, evidenceCounts, retention, anomalies, filters: model.filters };
    }
    case 'retention':
      return { type: 'retention', queries: buildRetentionQueries(model.retentionClasses!, model.filters, settings.policy, settings.labelNames) };
    case 'logs':
      return { type: 'logs', queries: buildLogsQueries(model.filters, model.logs!, settings.policy, ctx) };
  }
}

/** The in-scope controls judged from the counts table (all but coverage and retention controls). */
export function tableControls(queries: readonly ControlQuery[], policy: LoggingPolicy): ControlDefinition[] {
  return queries
    .filter(controlInScope)
    .map((q) => getControl(q.controlId, policy)!)
    .filter(onTable);
}

/** Whether a control sends its own measure query (coverage, continuity) instead of reading the counts table. */
export function ownQuery(controlId: string): boolean {
  const control: ControlDefinition | undefined = getControl(controlId);
  return control !== undefined && !measuredFromTable(control);
}

/**
 * How Loki runs an expression: instant metric queries aggregate over the whole range; `index` is a
 * stream selector answered from Loki's index (`index/volume_range`), no line read.
 */
export type ExpressionKind = 'instant' | 'range' | 'log' | 'index';

export interface PlannedExpression {
  name: string;
  expr: string;
  kind: ExpressionKind;
}

/** Every LogQL string of a plan with a name and how it runs, in the order the data source sends them. */
export function planExpressions(plan: QueryPlan): PlannedExpression[] {
  const suffix = (profile?: string) => (profile ? ` (${profile})` : '');
  switch (plan.type) {
    case 'topology':
      return plan.queries.map((q) => ({ name: `${q.name}${suffix(q.profile)}`, expr: q.expr, kind: 'instant' }));
    case 'controls': {
      // Continuity and anomaly buckets made of whole table buckets come from the table (runControls.ts).
      const ownBuckets = (stepMs: number) => stepMs % plan.buckets.stepMs !== 0;
      return [
        ...plan.buckets.queries.map((t): PlannedExpression => ({ name: `control counts per ${formatDuration(plan.buckets.stepMs)}${suffix(t.profile)}`, expr: t.expr, kind: 'range' })),
        // Sent over the parts of the range outside whole buckets, or over all of it when it holds fewer than two.
        ...plan.table.map((t): PlannedExpression => ({ name: `control counts, range head and tail${suffix(t.profile)}`, expr: t.expr, kind: 'instant' })),
        ...plan.queries.flatMap((q): PlannedExpression[] =>
          q.expr === null
            ? []
            : [
                ...(q.edges
                  ? q.edges.baselineEdges.flatMap((b, i): PlannedExpression[] => [
                      { name: `${q.controlId} baseline bytes${suffix(plan.table[i]?.profile)}`, expr: b.selector, kind: 'index' },
                      { name: `${q.controlId} baseline edges${suffix(plan.table[i]?.profile)}, if it has bytes`, expr: b.expr, kind: 'instant' },
                    ])
                  : ownQuery(q.controlId) && (q.stepMs === undefined || ownBuckets(q.stepMs))
                    ? [{ name: q.stepMs ? `${q.controlId} per ${formatDuration(q.stepMs)}` : q.controlId, expr: q.expr, kind: q.stepMs ? ('range' as const) : ('instant' as const) }]
                    : []),
                ...q.newest.map((l): PlannedExpression => ({ name: `${q.controlId} newest evidence line${suffix(l.profile)}`, expr: l.expr, kind: 'log' })),
              ]
        ),
        ...(ownBuckets(ANOMALY_STEP_MS) ? plan.anomalies : []).map((q): PlannedExpression => ({ name: `baseline anomalies: ${q.measure} per ${formatDuration(ANOMALY_STEP_MS)}${suffix(q.profile)}`, expr: q.expr, kind: 'range' })),
        ...retentionExpressions(plan.retention),
      ];
    }
    case 'retention':
      return retentionExpressions(plan.queries);
    case 'logs':
      return plan.queries.map((q) => ({ name: `${q.name}${suffix(q.profile)}`, expr: q.expr, kind: 'log' }));
  }
}

/** Loki's index answers per day; the tenant's limits (one request) add its retention_stream labels. */
function retentionExpressions(queries: readonly RetentionQuery[]): PlannedExpression[] {
  return buildRetentionIndexRequests(queries).map((r) => ({
    name: `${r.classes.map((c) => `${c} (required ${queries.find((q) => q.name === c)!.requiredDays}d)`).join(', ')}: bytes per ${formatDuration(RETENTION_STEP_MS)}`,
    expr: r.selector,
    kind: 'index',
  }));
}
