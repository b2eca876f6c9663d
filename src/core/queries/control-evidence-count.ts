/**
 * How many access-log lines stand behind a control: `sum(count_over_time(...))` over the same
 * population as the control's evidence log queries. Added beside controls.ts for the data source's
 * "evidence count" column; counted in Loki, never by pulling lines. One query per access pipeline
 * (raw profiles), whose single values the caller adds up.
 */
import type { ControlDefinition } from '../controls/types';
import { countOverTime, renderLogql, sum, type RangeDuration } from '../logql';
import type { LoggingPolicy } from '../policy';
import type { StreamFilters } from '../query';
import type { ProfileName } from '../schema';
import { accessLogQuery, accessPipelines, type QueryContext } from './context';
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
  return accessPipelines(ctx).map((pipeline) => ({
    controlId: control.id,
    ...(pipeline.profile ? { profile: pipeline.profile } : {}),
    // Same service fields as the evidence log queries (logs.ts), so count and lines agree.
    expr: renderLogql(sum(countOverTime(accessLogQuery(ctx, pipeline, filters, [match], ['dst_service', 'src_workload']), range))),
  }));
}
