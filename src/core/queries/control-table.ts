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
import { accessLogQuery, accessPipelines, withLineFilters, type QueryContext } from './context';
import { evidenceCountKeys, evidenceRequests } from './control-evidence-count';
import { fieldFiltersExpr, fieldsUsed, filtersKeep, recordLineFilters, type FieldFilter } from './field-filter';

export interface ControlTableQuery {
  profile?: ProfileName;
  expr: string;
}

/** The fields the measure of a table-computed control reads; coverage controls have their own query. */
function measureFilters(control: ControlDefinition): FieldFilter[] {
  const evidence = control.evidence;
  switch (evidence.kind) {
    case 'share':
      return [...evidence.scope, ...evidence.match];
    case 'count':
      return [...(evidence.scope ?? []), ...evidence.match];
    case 'coverage':
    case 'continuity':
    case 'retention':
    case 'new-edges':
    case 'anomalies':
      return [];
  }
}

/** Whether the control's measured value comes from the table (share and count) rather than its own query. */
export function measuredFromTable(control: ControlDefinition): boolean {
  return control.evidence.kind === 'share' || control.evidence.kind === 'count';
}

/** The table's group keys: every field the controls' measures, groups and evidence read. */
export function controlTableKeys(controls: readonly ControlDefinition[], filters: StreamFilters, clusterLabel: string): string[] {
  const keys = new Set<string>(['dst_service', ...evidenceCountKeys(clusterLabel)]);
  for (const control of controls) {
    fieldsUsed([...measureFilters(control), ...control.evidenceLogs]).forEach((f) => keys.add(f));
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
  const keys = controlTableKeys(controls, filters, ctx.labels.cluster);
  return accessPipelines(ctx).map((pipeline) => ({
    ...(pipeline.profile ? { profile: pipeline.profile } : {}),
    expr: renderLogql(sum(countOverTime(accessLogQuery(ctx, pipeline, filters, [], ['dst_service', 'src_workload'], keys), range), by(...keys))),
  }));
}

const isCount = (row: VectorSample) => Number.isFinite(row.value) && row.value >= 0;

function inServices(row: VectorSample, services: readonly string[], fields: readonly string[]): boolean {
  return services.length === 0 || fields.some((field) => services.includes(row.metric[field] ?? ''));
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
  const services = filters.service ?? [];
  const traffic = rows.filter((row) => isCount(row) && row.value > 0 && inServices(row, services, ['dst_service']));
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
  const services = filters.service ?? [];
  const kept = rows.filter((row) => inServices(row, services, ['dst_service', 'src_workload']) && filtersKeep(control.evidenceLogs, row.metric, policy));
  return evidenceRequests(kept, clusterLabel);
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
