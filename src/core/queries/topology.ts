/**
 * Topology: one metric query per edge measure, grouped by the edge keys of the chosen level.
 * The request count also carries the mTLS state as a label (one scan gives requests and the
 * mtls / plaintext / unknown split); errors and p95 are queries of their own. Raw sources get
 * one query set per profile; the data source sums them per edge.
 */
import { NO_ERRORS, by, countOverTime, quantileOverTime, renderLogql, sum, type MetricExpr, type RangeDuration } from '../logql';
import { DEFAULT_POLICY } from '../policy';
import type { LabelNames, StreamFilters, TopologyGroupBy, TopologyOptions } from '../query';
import type { ProfileName } from '../schema';
import { accessLogQuery, accessPipelines, withLineFilters, type AccessPipeline, type QueryContext } from './context';
import { fieldFilterExpr, recordLineFilters, type FieldFilter } from './field-filter';

export const TOPOLOGY_MEASURES = ['requests', 'errors', 'latency_p95', 'mtls'] as const;
export type TopologyMeasure = (typeof TOPOLOGY_MEASURES)[number];

/** The record field the request count is split by when mTLS is shown. */
export const MTLS_STATE_LABEL = 'mtls';

/** The error measure: server errors among the requests. */
export const SERVER_ERRORS: FieldFilter = { field: 'status', compare: '>=', value: 500 };

/** The record field a raw pipeline's request count is split by, so its errors need no scan of their own. */
export const STATUS_LABEL = 'status';

export interface TopologyQuery {
  /** The measure; the data source joins the results per edge (same group keys). */
  name: Exclude<TopologyMeasure, 'mtls'>;
  /** Raw sources only: the profile this query reads. */
  profile?: ProfileName;
  /**
   * Labels a `requests` count is split by beyond the edge keys: `mtls` when mTLS is shown; for
   * raw pipelines also `status`, whose rows give the errors (SERVER_ERRORS) instead of a second
   * scan through the profile's stages (normalised JSON has a cheap prefiltered errors query).
   */
  splits?: string[];
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
  measure: TopologyQuery['name'],
  ctx: QueryContext,
  pipeline: AccessPipeline,
  filters: StreamFilters,
  keys: string[],
  splits: readonly string[],
  range: RangeDuration
): MetricExpr {
  switch (measure) {
    case 'requests': {
      const grouping = [...keys, ...splits];
      return sum(countOverTime(accessLogQuery(ctx, pipeline, filters, [], undefined, grouping), range), by(...grouping));
    }
    case 'errors': {
      // No policy list is involved, so any policy renders the same filter.
      const narrowed = withLineFilters(pipeline, recordLineFilters([SERVER_ERRORS], DEFAULT_POLICY));
      return sum(countOverTime(accessLogQuery(ctx, narrowed, filters, [fieldFilterExpr(SERVER_ERRORS, DEFAULT_POLICY)], undefined, keys), range), by(...keys));
    }
    case 'latency_p95':
      return quantileOverTime(
        0.95,
        accessLogQuery(ctx, pipeline, filters, [], undefined, [...keys, 'duration_ms']),
        { label: 'duration_ms', after: [NO_ERRORS] },
        range,
        by(...keys)
      );
  }
}

function requestSplits(pipeline: AccessPipeline, options: TopologyOptions, splitStatus: boolean): string[] {
  return [...(options.showMtls ? [MTLS_STATE_LABEL] : []), ...(splitStatus && pipeline.profile && options.showErrors ? [STATUS_LABEL] : [])];
}

/**
 * `splitStatus: false` gives raw pipelines an errors query of their own instead of the status
 * split: one more scan, but a status per edge fewer series (for Loki's max_query_series).
 */
export function buildTopologyQueries(
  filters: StreamFilters,
  options: TopologyOptions,
  range: RangeDuration,
  ctx: QueryContext,
  splitStatus = true
): TopologyQuery[] {
  const keys = topologyGroupKeys(options.groupBy, ctx.labels);
  return accessPipelines(ctx).flatMap((pipeline) => {
    const splits = requestSplits(pipeline, options, splitStatus);
    const measures: Array<TopologyQuery['name']> = ['requests'];
    if (options.showErrors && !splits.includes(STATUS_LABEL)) {
      measures.push('errors');
    }
    if (options.showLatency) {
      measures.push('latency_p95');
    }
    return measures.map((name) => ({
      name,
      ...(pipeline.profile ? { profile: pipeline.profile } : {}),
      ...(name === 'requests' && splits.length > 0 ? { splits } : {}),
      expr: renderLogql(measureExpr(name, ctx, pipeline, filters, keys, splits, range)),
    }));
  });
}
