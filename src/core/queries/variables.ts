/**
 * Queries behind dashboard variables and ad-hoc filter values: the access-log stream selector
 * that scopes label-value lookups, and the services seen over a range as a metric query
 * (`sum by (dst_service)`), counted in Loki. Added beside the other builders for the data source.
 */
import { by, countOverTime, eq, renderLogql, renderSelector, selector, sum, type RangeDuration } from '../logql';
import type { StreamFilters } from '../query';
import { accessLogQuery, accessPipelines, filterMatchers, type QueryContext } from './context';

/** `{<logType>="access", <filters>}`: scopes /label/<name>/values to mesh access logs. */
export function accessStreamSelector(filters: StreamFilters, ctx: QueryContext): string {
  return renderSelector(selector(eq(ctx.labels.logType, ctx.accessLogType), ...filterMatchers(filters, ctx.labels)));
}

/** One query per access pipeline; the caller unions the `dst_service` values. */
export function buildServiceValuesQueries(filters: StreamFilters, range: RangeDuration, ctx: QueryContext): string[] {
  return accessPipelines(ctx).map((pipeline) =>
    renderLogql(sum(countOverTime(accessLogQuery(ctx, pipeline, filters, []), range), by('dst_service')))
  );
}
