import type { DataFrame } from '@grafana/data';
import type { VectorSample } from '../../core/loki/types';
import type { TopologyMeasure } from '../../core/queries';
import { topologyFrames } from '../frames/topologyFrames';
import type { QueryPlan } from '../../core/plan';
import { joinTopology } from '../topology/join';
import { samplesOf } from '../topology/samples';
import { warningNotices, type RunContext } from './context';

type TopologyPlan = Extract<QueryPlan, { type: 'topology' }>;

/**
 * Runs the named topology queries as instant queries at the end of the range (each aggregates
 * over the whole range in Loki), then joins the per-edge vectors. Raw sources return one result
 * per profile and measure; their samples are pooled per measure and summed per edge by the join.
 */
export async function runTopology(plan: TopologyPlan, run: RunContext): Promise<DataFrame[]> {
  const responses = await Promise.all(
    plan.queries.map((q) => run.client.instantQuery({ query: q.expr, timeMs: run.toMs, signal: run.signal }))
  );
  const pooled: Partial<Record<TopologyMeasure, VectorSample[]>> = {};
  const warnings: string[] = [];
  plan.queries.forEach((q, i) => {
    const samples = samplesOf(responses[i], q.name);
    pooled[q.name] = [...(pooled[q.name] ?? []), ...samples];
    warnings.push(...responses[i].warnings);
  });
  const rangeSeconds = (run.toMs - run.fromMs) / 1000;
  const topology = joinTopology(
    { requests: pooled.requests ?? [], errors: pooled.errors, latency_p95: pooled.latency_p95, mtls: pooled.mtls },
    { groupBy: plan.options.groupBy, labelNames: run.settings.labelNames, rangeSeconds }
  );
  const frames = topologyFrames(topology, rangeSeconds, run.refId);
  const notices = [...warningNotices([...new Set(warnings)])];
  if (topology.skippedSeries > 0) {
    notices.push({
      severity: 'warning',
      text: `${topology.skippedSeries} series could not be joined to an edge (no matching request count, or a non-numeric value) and are not drawn.`,
    });
  }
  if (notices.length > 0) {
    frames[1].meta = { ...frames[1].meta, notices: [...(frames[1].meta?.notices ?? []), ...notices] };
  }
  return frames;
}
