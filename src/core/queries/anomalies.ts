/**
 * The series behind anomaly detection (evidence/anomalies.ts): per edge into a callee, the
 * requests its own proxy logged and those that failed with a 5xx, counted by Loki per `step` over
 * the range (a callee's own figures are the sums over its callers). Each
 * point of a range query at t counts (t − step, t], so with the step as the range the buckets tile
 * the window without overlap.
 */
import { by, countOverTime, renderLogql, sum } from '../logql';
import type { LoggingPolicy } from '../policy';
import type { StreamFilters } from '../query';
import type { ProfileName } from '../schema';
import { accessLogQuery, accessPipelines, withLineFilters, type QueryContext } from './context';
import { fieldFiltersExpr, recordLineFilters, type FieldFilter } from './field-filter';

/** Lines the callee's own proxy wrote: its callers keep naming a service that stopped logging. */
const OWN_LINES: FieldFilter = { field: 'direction', isNot: 'outbound' };
const SERVER_ERROR: FieldFilter = { field: 'status', compare: '>=', value: 500 };

/** The buckets anomalies are judged in (evidence/anomalies.ts DEFAULT_ANOMALY_OPTIONS). */
export const ANOMALY_STEP_MS = 10 * 60_000;

export interface AnomalySeriesQuery {
  measure: 'requests' | 'errors';
  profile?: ProfileName;
  expr: string;
}

/** Per edge: the callee, and the caller its own proxy names (empty when it cannot); services are their sums. */
export function anomalyKeys(ctx: QueryContext): [cluster: string, namespace: string, service: string, caller: string] {
  return [ctx.labels.cluster, 'dst_namespace', 'dst_service', 'src_workload'];
}

/** Which lines each measure counts: the callee's own, and of those the 5xx. */
export const ANOMALY_MEASURES: ReadonlyArray<[AnomalySeriesQuery['measure'], FieldFilter[]]> = [
  ['requests', [OWN_LINES]],
  ['errors', [OWN_LINES, SERVER_ERROR]],
];

export function buildAnomalyQueries(filters: StreamFilters, stepMs: number, policy: LoggingPolicy, ctx: QueryContext): AnomalySeriesQuery[] {
  const keys = anomalyKeys(ctx);
  return ANOMALY_MEASURES.flatMap(([measure, fields]) =>
    accessPipelines(ctx).map((pipeline) => ({
      measure,
      ...(pipeline.profile ? { profile: pipeline.profile } : {}),
      expr: renderLogql(
        sum(
          countOverTime(
            accessLogQuery(ctx, withLineFilters(pipeline, recordLineFilters(fields, policy)), filters, [fieldFiltersExpr(fields, policy)], ['dst_service'], keys),
            stepMs
          ),
          by(...keys)
        )
      ),
    }))
  );
}
