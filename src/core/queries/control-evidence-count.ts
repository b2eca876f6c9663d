/**
 * How many requests stand behind a control: the population of its evidence log queries, counted
 * in Loki, never by pulling lines. Both proxies of a meshed request log it, so per callee the
 * count is the larger of what the callee reported and what its callers reported (the callers
 * also log requests that never reached the callee, the callee also requests from callers that
 * log nothing), plus lines that say neither side. One pair of queries per access pipeline (raw
 * profiles), whose single values the caller adds up.
 */
import type { ControlDefinition } from '../controls/types';
import { binary, by, countOverTime, eq, neq, renderLogql, sum, allOf, type LabelFilterExpr, type MetricExpr, type RangeDuration } from '../logql';
import type { LoggingPolicy } from '../policy';
import type { StreamFilters } from '../query';
import type { ProfileName } from '../schema';
import { accessLogQuery, accessPipelines, type AccessPipeline, type QueryContext } from './context';
import { fieldFiltersExpr } from './field-filter';

export interface EvidenceCountQuery {
  controlId: string;
  profile?: ProfileName;
  expr: string;
}

export function buildEvidenceCountQueries(
  control: ControlDefinition,
  filters: StreamFilters,
  range: RangeDuration,
  policy: LoggingPolicy,
  ctx: QueryContext
): EvidenceCountQuery[] {
  const match = fieldFiltersExpr(control.evidenceLogs, policy);
  const callee = ['dst_service', 'dst_namespace', ctx.labels.cluster];
  const count = (pipeline: AccessPipeline, side: LabelFilterExpr, grouping?: string[]): MetricExpr =>
    // Same service fields as the evidence log queries (logs.ts), so count and lines agree.
    sum(
      countOverTime(accessLogQuery(ctx, pipeline, filters, [match === null ? side : allOf(match, side)], ['dst_service', 'src_workload']), range),
      grouping ? by(...grouping) : undefined
    );
  return accessPipelines(ctx).flatMap((pipeline) => {
    const inbound = count(pipeline, eq('direction', 'inbound'), callee);
    const outbound = count(pipeline, eq('direction', 'outbound'), callee);
    // Per callee the larger of the two: `(in > out) or out or in` keeps every callee either side has.
    const larger = binary('or', binary('or', binary('>', inbound, outbound), outbound), inbound);
    const base = { controlId: control.id, ...(pipeline.profile ? { profile: pipeline.profile } : {}) };
    return [
      { ...base, expr: renderLogql(sum(larger)) },
      { ...base, expr: renderLogql(count(pipeline, allOf(neq('direction', 'inbound'), neq('direction', 'outbound')))) },
    ];
  });
}
