/**
 * Log (stream) queries for the drill-down: the lines behind an edge, a node, or a control.
 * Loki caps entries per query (max_entries_limit_per_query, default 5000), so the limit is checked.
 */
import type { ControlDefinition } from '../controls/types';
import { getControl } from '../controls/catalog';
import { LogqlError, eq, renderLogql, type LabelFilterExpr } from '../logql';
import type { LoggingPolicy } from '../policy';
import type { LogsOptions, StreamFilters } from '../query';
import type { ProfileName } from '../schema';
import { accessLogQuery, accessPipelines, type QueryContext } from './context';
import { fieldFiltersExpr } from './field-filter';

export const MAX_LOG_LIMIT = 5000;

export interface LogsQuery {
  name: string;
  profile?: ProfileName;
  expr: string;
  /** Lines to request (Loki `limit`). */
  limit: number;
}

function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LOG_LIMIT) {
    throw new LogqlError(`log limit must be a whole number from 1 to ${MAX_LOG_LIMIT} (Loki's default max_entries_limit_per_query), got ${limit}`);
  }
  return limit;
}

function logQueries(
  name: string,
  fieldFilters: Array<LabelFilterExpr | null>,
  filters: StreamFilters,
  ctx: QueryContext,
  limit: number
): LogsQuery[] {
  checkLimit(limit);
  return accessPipelines(ctx).map((pipeline) => ({
    name,
    ...(pipeline.profile ? { profile: pipeline.profile } : {}),
    expr: renderLogql(accessLogQuery(ctx, pipeline, filters, fieldFilters, ['dst_service', 'src_workload'])),
    limit,
  }));
}

export function buildEvidenceLogQueries(
  control: ControlDefinition,
  filters: StreamFilters,
  policy: LoggingPolicy,
  ctx: QueryContext,
  limit: number
): LogsQuery[] {
  return logQueries(`${control.id}/logs`, [fieldFiltersExpr(control.evidenceLogs, policy)], filters, ctx, limit);
}

/**
 * The drill-down: an edge (srcWorkload and dstService), one side of it (either alone), or a
 * control's evidence (controlId). The `service` filter matches dst_service or src_workload here.
 */
export function buildLogsQueries(
  filters: StreamFilters,
  options: LogsOptions,
  policy: LoggingPolicy,
  ctx: QueryContext
): LogsQuery[] {
  if (options.controlId !== undefined) {
    const control = getControl(options.controlId);
    if (!control) {
      throw new LogqlError(`unknown control ${JSON.stringify(options.controlId)}`);
    }
    return buildEvidenceLogQueries(control, filters, policy, ctx, options.limit);
  }
  const edge: LabelFilterExpr[] = [];
  if (options.srcWorkload !== undefined) {
    edge.push(eq('src_workload', options.srcWorkload));
  }
  if (options.dstService !== undefined) {
    edge.push(eq('dst_service', options.dstService));
  }
  const name = edge.length === 2 ? 'edge' : edge.length === 1 ? 'node' : 'logs';
  return logQueries(name, edge, filters, ctx, options.limit);
}
