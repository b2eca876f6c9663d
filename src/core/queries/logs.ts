/**
 * Log (stream) queries for the drill-down: the lines behind an edge, a node, or a control.
 * Loki caps entries per query (max_entries_limit_per_query, default 5000), so the limit is checked.
 */
import type { ControlDefinition } from '../controls/types';
import { getControl } from '../controls/catalog';
import { LogqlError, renderLogql } from '../logql';
import type { LoggingPolicy } from '../policy';
import type { LogsOptions, StreamFilters } from '../query';
import type { ProfileName } from '../schema';
import { accessLogQuery, accessPipelines, withLineFilters, type QueryContext } from './context';
import { fieldFiltersExpr, recordLineFilters, type FieldFilter } from './field-filter';

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
  fields: readonly FieldFilter[],
  filters: StreamFilters,
  policy: LoggingPolicy,
  ctx: QueryContext,
  limit: number,
  output?: readonly string[]
): LogsQuery[] {
  checkLimit(limit);
  const lines = recordLineFilters(fields, policy);
  return accessPipelines(ctx).map((pipeline) => ({
    name,
    ...(pipeline.profile ? { profile: pipeline.profile } : {}),
    expr: renderLogql(accessLogQuery(ctx, withLineFilters(pipeline, lines), filters, [fieldFiltersExpr(fields, policy)], ['dst_service', 'src_workload'], output)),
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
  return logQueries(`${control.id}/logs`, control.evidenceLogs, filters, policy, ctx, limit);
}

/**
 * The newest evidence line's time, one query per pipeline: a raw profile derives only the fields
 * the evidence filters read (project.ts), so the line it returns is not the record; read its time.
 */
export function buildNewestEvidenceQueries(control: ControlDefinition, filters: StreamFilters, policy: LoggingPolicy, ctx: QueryContext): LogsQuery[] {
  return logQueries(`${control.id}/newest`, control.evidenceLogs, filters, policy, ctx, 1, []);
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
    const control = getControl(options.controlId, policy);
    if (!control) {
      throw new LogqlError(`unknown control ${JSON.stringify(options.controlId)}`);
    }
    if (control.evidence.kind === 'retention') {
      throw new LogqlError(`${control.id} rests on Loki's index and retention limits, not on log lines: its evidence is the retention panel's class table`);
    }
    return buildEvidenceLogQueries(control, filters, policy, ctx, options.limit);
  }
  const edge: FieldFilter[] = [];
  if (options.srcWorkload !== undefined) {
    edge.push({ field: 'src_workload', is: options.srcWorkload });
  }
  if (options.dstService !== undefined) {
    edge.push({ field: 'dst_service', is: options.dstService });
  }
  const name = edge.length === 2 ? 'edge' : edge.length === 1 ? 'node' : 'logs';
  return logQueries(name, edge, filters, policy, ctx, options.limit);
}
