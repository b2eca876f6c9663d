/**
 * The controls' counts as one table: per access pipeline a single `sum by (<fields>)
 * (count_over_time(...))` over the audit range, grouped by every field the share and count
 * controls filter on. Each control's scoped, matched and evidence counts are then sums of rows
 * the control's filters keep (filtersKeep, which decides as Loki does). One scan of the range per
 * pipeline replaces one or two per control and measure (issue 9: raw pipelines pay their parse
 * stages once instead of ~40 times).
 *
 * The per-control LogQL in ControlQuery.expr stays the definition alert rules evaluate; the
 * conformance suite checks on a real Loki that both give the same values.
 */
import type { ControlDefinition } from '../controls/types';
import { by, countOverTime, renderLogql, sum, type RangeDuration } from '../logql';
import type { VectorSample } from '../loki/types';
import type { LoggingPolicy } from '../policy';
import type { StreamFilters } from '../query';
import type { ProfileName } from '../schema';
import { ANOMALY_MEASURES, ANOMALY_STEP_MS, anomalyKeys } from './anomalies';
import { accessLogQuery, accessPipelines, withLineFilters, type QueryContext } from './context';
import { continuityBucketMs, continuityKeys, continuityScope, edgeKeys } from './controls';
import { evidenceCountKeys, evidenceRequests } from './control-evidence-count';
import { fieldFiltersExpr, fieldsUsed, filtersKeep, recordLineFilters } from './field-filter';

export interface ControlTableQuery {
  profile?: ProfileName;
  expr: string;
}

/**
 * The fields a control reads from the table: its measure's filters, and for the controls judged
 * per bucket or per edge (table-buckets.ts) their buckets' filters and keys. Coverage and
 * retention controls have their own queries.
 */
function tableFields(control: ControlDefinition, ctx: QueryContext): string[] {
  const evidence = control.evidence;
  switch (evidence.kind) {
    case 'share':
      return fieldsUsed([...evidence.scope, ...evidence.match]);
    case 'count':
      return fieldsUsed([...(evidence.scope ?? []), ...evidence.match]);
    case 'continuity':
      return [...fieldsUsed(continuityScope(evidence)), ...continuityKeys(ctx)];
    case 'anomalies':
      return [...fieldsUsed(ANOMALY_MEASURES.flatMap(([, filters]) => filters)), ...anomalyKeys(ctx)];
    case 'new-edges':
      return edgeKeys(ctx);
    case 'coverage':
    case 'retention':
      return [];
  }
}

/** Whether the table holds what the control is judged from (all but coverage and retention controls). */
export function onTable(control: ControlDefinition): boolean {
  return control.evidence.kind !== 'coverage' && control.evidence.kind !== 'retention';
}

/** At most this many whole buckets per series (2 days of 10-minute buckets): a longer window takes wider ones. */
export const MAX_TABLE_BUCKETS = 288;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The per-bucket table's step: the widest whose buckets make up each anomaly and continuity
 * bucket (a whole minute at least), widened for a long window; a consumer whose bucket it no
 * longer divides sends its own query. Without such a consumer, 1/48 of the range, so that the
 * newest evidence line is read from a short stretch.
 */
export function tableStepMs(controls: readonly ControlDefinition[], policy: LoggingPolicy, rangeMs: number): number {
  const steps = controls.flatMap((c) => (c.evidence.kind === 'anomalies' ? [ANOMALY_STEP_MS] : c.evidence.kind === 'continuity' ? [continuityBucketMs(c, policy)] : []));
  const minute = 60_000;
  const base = steps.length > 0 ? Math.max(minute, Math.floor(steps.reduce(gcd) / minute) * minute) : Math.max(minute, Math.ceil(rangeMs / 48 / minute) * minute);
  return rangeMs / base > MAX_TABLE_BUCKETS ? Math.ceil(rangeMs / MAX_TABLE_BUCKETS / base) * base : base;
}

/** Whether the control's measured value comes from the table (share and count) rather than its own query. */
export function measuredFromTable(control: ControlDefinition): boolean {
  return control.evidence.kind === 'share' || control.evidence.kind === 'count';
}

/** The table's group keys: every field the controls' measures, groups and evidence read. */
export function controlTableKeys(controls: readonly ControlDefinition[], filters: StreamFilters, ctx: QueryContext): string[] {
  const keys = new Set<string>(['dst_service', ...evidenceCountKeys(ctx.labels.cluster)]);
  for (const control of controls) {
    [...tableFields(control, ctx), ...fieldsUsed(control.evidenceLogs)].forEach((f) => keys.add(f));
    if (control.evidence.kind === 'share') {
      (control.evidence.groupBy ?? []).forEach((f) => keys.add(f));
    }
  }
  // The service filter matches the caller in evidence counts (as the evidence lines do).
  if ((filters.service ?? []).length > 0) {
    keys.add('src_workload');
  }
  return [...keys].sort();
}

/**
 * One query per access pipeline. The service filter is the evidence lines' (callee or caller), the
 * wider of the two the controls use; rows are narrowed to the callee for the measures.
 */
export function buildControlTableQueries(
  controls: readonly ControlDefinition[],
  filters: StreamFilters,
  range: RangeDuration,
  ctx: QueryContext
): ControlTableQuery[] {
  const keys = controlTableKeys(controls, filters, ctx);
  return accessPipelines(ctx).map((pipeline) => ({
    ...(pipeline.profile ? { profile: pipeline.profile } : {}),
    expr: renderLogql(sum(countOverTime(accessLogQuery(ctx, pipeline, filters, [], ['dst_service', 'src_workload'], keys), range), by(...keys))),
  }));
}

const isCount = (row: VectorSample) => Number.isFinite(row.value) && row.value >= 0;

function inServices(metric: Record<string, string>, services: readonly string[], fields: readonly string[]): boolean {
  return services.length === 0 || fields.some((field) => services.includes(metric[field] ?? ''));
}

/** Whether a table row is traffic into a service the target's service filter keeps (the measures' narrowing). */
export function calleeKept(metric: Record<string, string>, filters: StreamFilters): boolean {
  return inServices(metric, filters.service ?? [], ['dst_service']);
}

/** Whether a table row holds the control's evidence lines (callee or caller in the service filter, as those lines are). */
export function evidenceKept(control: ControlDefinition, metric: Record<string, string>, filters: StreamFilters, policy: LoggingPolicy): boolean {
  return inServices(metric, filters.service ?? [], ['dst_service', 'src_workload']) && filtersKeep(control.evidenceLogs, metric, policy);
}

/**
 * A share or count control's measured value from the pooled rows of every pipeline, as its
 * LogQL (controls.ts evidenceExpr) defines it: a share per group of its scope (0 where the scope
 * has requests but none match), reduced; a count of matches, none when there was no traffic.
 */
export function measureFromTable(
  control: ControlDefinition,
  rows: readonly VectorSample[],
  filters: StreamFilters,
  policy: LoggingPolicy,
  clusterLabel: string
): number | null {
  const traffic = rows.filter((row) => isCount(row) && row.value > 0 && calleeKept(row.metric, filters));
  const evidence = control.evidence;
  switch (evidence.kind) {
    case 'count': {
      // Requests, each counted once whichever proxies logged it, as its LogQL (controls.ts) does.
      const scoped = traffic.filter((row) => filtersKeep(evidence.scope ?? [], row.metric, policy));
      return scoped.length === 0 ? null : evidenceRequests(scoped.filter((row) => filtersKeep(evidence.match, row.metric, policy)), clusterLabel);
    }
    case 'share': {
      const groups = new Map<string, { scoped: number; matched: number }>();
      for (const row of traffic) {
        if (!filtersKeep(evidence.scope, row.metric, policy)) {
          continue;
        }
        const key = JSON.stringify((evidence.groupBy ?? []).map((field) => row.metric[field] ?? ''));
        const group = groups.get(key) ?? { scoped: 0, matched: 0 };
        group.scoped += row.value;
        if (filtersKeep(evidence.match, row.metric, policy)) {
          group.matched += row.value;
        }
        groups.set(key, group);
      }
      const shares = [...groups.values()].map((g) => g.matched / g.scoped);
      if (shares.length === 0) {
        return null;
      }
      if (shares.length > 1 && !evidence.reduce) {
        throw new Error(`${control.id} has a groupBy without reduce: its share is not one value`);
      }
      return evidence.reduce === 'min' ? Math.min(...shares) : Math.max(...shares);
    }
    case 'coverage':
    case 'continuity':
    case 'retention':
    case 'new-edges':
    case 'anomalies':
      throw new Error(`${control.id} is a ${evidence.kind} control: its value comes from its own query`);
  }
}

/** The requests behind a control's evidence lines (control-evidence-count.ts: larger side per callee). */
export function evidenceCountFromTable(
  control: ControlDefinition,
  rows: readonly VectorSample[],
  filters: StreamFilters,
  policy: LoggingPolicy,
  clusterLabel: string
): number {
  return evidenceRequests(rows.filter((row) => evidenceKept(control, row.metric, filters, policy)), clusterLabel);
}

/**
 * When the table has more series than Loki allows (max_query_series, 500 by default), each
 * control is measured by its own LogQL (ControlQuery.expr, what alert rules evaluate) and its
 * evidence counted per callee and side, per pipeline: narrower queries, more of them.
 */
export function buildEvidenceCountQueries(
  control: ControlDefinition,
  filters: StreamFilters,
  range: RangeDuration,
  policy: LoggingPolicy,
  ctx: QueryContext
): ControlTableQuery[] {
  const keys = evidenceCountKeys(ctx.labels.cluster);
  const match = fieldFiltersExpr(control.evidenceLogs, policy);
  const lines = recordLineFilters(control.evidenceLogs, policy);
  return accessPipelines(ctx).map((pipeline) => ({
    ...(pipeline.profile ? { profile: pipeline.profile } : {}),
    expr: renderLogql(
      sum(countOverTime(accessLogQuery(ctx, withLineFilters(pipeline, lines), filters, [match], ['dst_service', 'src_workload'], keys), range), by(...keys))
    ),
  }));
}
