/**
 * Topology: one metric query per edge measure, grouped by the edge keys of the chosen level.
 * Raw sources get one query set per profile; the data source sums them per edge.
 */
import { NO_ERRORS, by, countOverTime, eq, numeric, quantileOverTime, renderLogql, sum, type LabelFilterExpr, type MetricExpr, type RangeDuration } from '../logql';
import type { LabelNames, StreamFilters, TopologyGroupBy, TopologyOptions } from '../query';
import type { ProfileName } from '../schema';
import { accessLogQuery, accessPipelines, type AccessPipeline, type QueryContext } from './context';

export const TOPOLOGY_MEASURES = ['requests', 'errors', 'latency_p95', 'mtls'] as const;
export type TopologyMeasure = (typeof TOPOLOGY_MEASURES)[number];

export interface TopologyQuery {
  /** The measure; the data source joins the four results per edge (same group keys). */
  name: TopologyMeasure;
  /** Raw sources only: the profile this query reads. */
  profile?: ProfileName;
  expr: string;
}

/**
 * Group keys per level. The schema has no destination cluster or platform: those labels are the
 * logging proxy's, so coarser than namespace the result is per node, not per edge.
 */
export function topologyGroupKeys(groupBy: TopologyGroupBy, labels: LabelNames): string[] {
  return [...placeKeys(groupBy, labels), REPORTER_KEY];
}

/**
 * `direction` says which proxy logged the request (caller or callee): both usually do, and the data
 * source pairs the two reports so a request is counted once.
 */
export const REPORTER_KEY = 'direction';

function placeKeys(groupBy: TopologyGroupBy, labels: LabelNames): string[] {
  switch (groupBy) {
    case 'workload':
      return ['src_workload', 'src_namespace', 'dst_service', 'dst_namespace', labels.cluster, labels.platform];
    case 'namespace':
      return ['src_namespace', 'dst_namespace', labels.cluster, labels.platform];
    case 'cluster':
      return [labels.cluster, labels.platform];
    case 'platform':
      return [labels.platform];
  }
}

function measureExpr(
  measure: TopologyMeasure,
  ctx: QueryContext,
  pipeline: AccessPipeline,
  filters: StreamFilters,
  keys: string[],
  range: RangeDuration
): MetricExpr {
  const counted = (filter: LabelFilterExpr | null) =>
    sum(countOverTime(accessLogQuery(ctx, pipeline, filters, [filter]), range), by(...keys));
  switch (measure) {
    case 'requests':
      return counted(null);
    case 'errors':
      return counted(numeric('status', '>=', 500));
    case 'mtls':
      return counted(eq('mtls', 'mtls'));
    case 'latency_p95':
      return quantileOverTime(
        0.95,
        accessLogQuery(ctx, pipeline, filters, []),
        { label: 'duration_ms', after: [NO_ERRORS] },
        range,
        by(...keys)
      );
  }
}

export function buildTopologyQueries(
  filters: StreamFilters,
  options: TopologyOptions,
  range: RangeDuration,
  ctx: QueryContext
): TopologyQuery[] {
  const keys = topologyGroupKeys(options.groupBy, ctx.labels);
  const measures = TOPOLOGY_MEASURES.filter(
    (m) =>
      m === 'requests' ||
      (m === 'errors' && options.showErrors) ||
      (m === 'latency_p95' && options.showLatency) ||
      (m === 'mtls' && options.showMtls)
  );
  return accessPipelines(ctx).flatMap((pipeline) =>
    measures.map((name) => ({
      name,
      ...(pipeline.profile ? { profile: pipeline.profile } : {}),
      expr: renderLogql(measureExpr(name, ctx, pipeline, filters, keys, range)),
    }))
  );
}
