/**
 * The topology `mtls` measure split by the record's `mtls` value (mtls / plaintext / unknown), so
 * an edge with no mTLS requests can be told apart as plaintext or as lacking TLS evidence. Added
 * beside topology.ts for the data source; same group keys and access pipeline as the other
 * measures, so the results join per edge.
 */
import { by, countOverTime, renderLogql, sum, type RangeDuration } from '../logql';
import type { StreamFilters, TopologyOptions } from '../query';
import { accessLogQuery, accessPipelines, type QueryContext } from './context';
import { topologyGroupKeys, type TopologyQuery } from './topology';

/** The common-schema field the requests are split by. */
export const MTLS_STATE_LABEL = 'mtls';

export function buildTopologyMtlsStateQueries(
  filters: StreamFilters,
  options: TopologyOptions,
  range: RangeDuration,
  ctx: QueryContext
): TopologyQuery[] {
  const keys = [...topologyGroupKeys(options.groupBy, ctx.labels), MTLS_STATE_LABEL];
  return accessPipelines(ctx).map((pipeline) => ({
    name: 'mtls',
    ...(pipeline.profile ? { profile: pipeline.profile } : {}),
    expr: renderLogql(sum(countOverTime(accessLogQuery(ctx, pipeline, filters, []), range), by(...keys))),
  }));
}
