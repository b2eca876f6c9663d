import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';
import { LokiMaxSeriesError } from '../../core/loki/errors';
import type { QueryResponse, VectorSample } from '../../core/loki/types';
import { MTLS_STATE_LABEL, SERVER_ERRORS, STATUS_LABEL, filtersKeep, type TopologyMeasure, type TopologyQuery } from '../../core/queries';
import { topologyFrames } from '../frames/topologyFrames';
import type { QueryPlan } from '../../core/plan';
import { joinTopology } from '../topology/join';
import { samplesOf } from '../topology/samples';
import { warningNotices, type RunContext } from './context';
import { UNKNOWN, type Topology } from '../topology/model';

type TopologyPlan = Extract<QueryPlan, { type: 'topology' }>;

/**
 * Runs the named topology queries as instant queries at the end of the range (each aggregates
 * over the whole range in Loki), then joins the per-edge vectors. Raw sources return one result
 * per profile and measure; their samples are pooled per measure and summed per edge by the join.
 */
export async function runTopology(plan: TopologyPlan, run: RunContext): Promise<DataFrame[]> {
  const send = (queries: TopologyQuery[]) => Promise.all(queries.map((q) => run.client.instantQuery({ query: q.expr, timeMs: run.toMs, signal: run.signal })));
  let queries = plan.queries;
  let responses: QueryResponse[];
  const notices: QueryResultMetaNotice[] = [];
  try {
    responses = await send(queries);
  } catch (error) {
    if (!(error instanceof LokiMaxSeriesError) || !plan.fallback) {
      throw error;
    }
    queries = plan.fallback;
    responses = await send(queries);
    notices.push({
      severity: 'info',
      text: `The request counts split by status have more series than Loki allows (max_query_series=${error.limit}), so the errors were counted by queries of their own (slower; the same values).`,
    });
  }
  const pooled: Partial<Record<TopologyMeasure, VectorSample[]>> = {};
  const warnings: string[] = [];
  const add = (measure: TopologyMeasure, samples: VectorSample[]) => {
    pooled[measure] = [...(pooled[measure] ?? []), ...samples];
  };
  queries.forEach((q, i) => {
    const samples = samplesOf(responses[i], q.name);
    add(q.name, samples);
    // A raw pipeline's count split by status holds its errors too (topology.ts requestSplits).
    if (q.splits?.includes(STATUS_LABEL)) {
      add('errors', samples.filter((s) => filtersKeep([SERVER_ERRORS], s.metric, run.settings.policy)));
    }
    warnings.push(...responses[i].warnings);
  });
  const rangeSeconds = (run.toMs - run.fromMs) / 1000;
  const split = plan.options.showMtls ? splitMtlsStates(pooled.requests ?? []) : { requests: pooled.requests ?? [] };
  const topology = joinTopology(
    { ...split, errors: pooled.errors, latency_p95: pooled.latency_p95 },
    { groupBy: plan.options.groupBy, labelNames: run.settings.labelNames, rangeSeconds }
  );
  const frames = topologyFrames(topology, rangeSeconds, run.refId);
  notices.push(...warningNotices([...new Set(warnings)]));
  if (topology.skippedSeries > 0) {
    notices.push({
      severity: 'warning',
      text: `${topology.skippedSeries} series could not be joined to an edge (no matching request count, or a non-numeric value) and are not drawn.`,
    });
  }
  const unattributed = unknownEndRequests(topology);
  if (unattributed > 0) {
    notices.push({
      severity: 'info',
      text:
        `${Math.round(unattributed)} requests have an unknown caller or callee: lines whose stream lacks the writer's ` +
        'namespace and service_name labels, or callers without a mesh proxy. They are drawn from an "unknown" node, never guessed.',
    });
  }
  if (notices.length > 0) {
    frames[1].meta = { ...frames[1].meta, notices: [...(frames[1].meta?.notices ?? []), ...notices] };
  }
  return frames;
}

/**
 * The request counts split by mTLS state, as the request total per edge and the per-state
 * counts. A line without the field is `unknown`: absent evidence, never counted as mTLS.
 */
export function splitMtlsStates(samples: readonly VectorSample[]): { requests: VectorSample[]; mtls: VectorSample[] } {
  const requests: VectorSample[] = [];
  const mtls: VectorSample[] = [];
  for (const sample of samples) {
    const { [MTLS_STATE_LABEL]: state, ...edge } = sample.metric;
    requests.push({ ...sample, metric: edge });
    mtls.push({ ...sample, metric: { ...edge, [MTLS_STATE_LABEL]: state || UNKNOWN } });
  }
  return { requests, mtls };
}

/** Requests on edges with an end the logs could not name (join.ts UNKNOWN). */
function unknownEndRequests(topology: Topology): number {
  const unknown = new Set(topology.nodes.filter((n) => n.workload === UNKNOWN || n.namespace === UNKNOWN).map((n) => n.id));
  return topology.edges.filter((e) => unknown.has(e.source) || unknown.has(e.target)).reduce((n, e) => n + e.requests, 0);
}
