/**
 * How many requests stand behind a control: the population of its evidence log queries, counted
 * in Loki per callee and side, never by pulling lines. Both proxies of a meshed request log it,
 * often in two formats (an istio-text caller, an istio-json callee), so the sides are added up
 * over every access pipeline first and only then, per callee, the larger side is taken (the
 * callers also log requests that never reached the callee, the callee also requests from callers
 * that log nothing); lines that say neither side count as they are.
 */
import type { ControlDefinition } from '../controls/types';
import { by, countOverTime, renderLogql, sum, type RangeDuration } from '../logql';
import type { VectorSample } from '../loki/types';
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

/** The labels each evidence count is grouped by: the callee, and which side logged the line. */
export function evidenceCountKeys(clusterLabel: string): string[] {
  return ['dst_service', 'dst_namespace', clusterLabel, 'direction'];
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
    expr: renderLogql(
      sum(countOverTime(accessLogQuery(ctx, pipeline, filters, [match], ['dst_service', 'src_workload']), range), by(...evidenceCountKeys(ctx.labels.cluster)))
    ),
  }));
}

/** The requests in the samples of every pipeline's evidence count query (see the module comment). */
export function evidenceRequests(samples: readonly VectorSample[], clusterLabel: string): number {
  const callees = new Map<string, { inbound: number; outbound: number }>();
  let undirected = 0;
  for (const { metric, value } of samples) {
    if (!Number.isFinite(value) || value < 0) {
      continue;
    }
    const direction = metric.direction;
    if (direction !== 'inbound' && direction !== 'outbound') {
      undirected += value;
      continue;
    }
    const key = JSON.stringify([metric.dst_service ?? '', metric.dst_namespace ?? '', metric[clusterLabel] ?? '']);
    const sides = callees.get(key) ?? { inbound: 0, outbound: 0 };
    sides[direction] += value;
    callees.set(key, sides);
  }
  let requests = undirected;
  for (const sides of callees.values()) {
    requests += Math.max(sides.inbound, sides.outbound);
  }
  return requests;
}
