/**
 * How many requests stand behind a control: the population of its evidence log queries, counted
 * in Loki per callee and side, never by pulling lines. Both proxies of a meshed request log it,
 * often in two formats (an istio-text caller, an istio-json callee), so the sides are added up
 * over every access pipeline first and only then, per callee, the larger side is taken (the
 * callers also log requests that never reached the callee, the callee also requests from callers
 * that log nothing); lines that say neither side count as they are.
 */
import type { VectorSample } from '../loki/types';

/** The labels each evidence count is grouped by: the callee, and which side logged the line. */
export function evidenceCountKeys(clusterLabel: string): string[] {
  return ['dst_service', 'dst_namespace', clusterLabel, 'direction'];
}

/** The requests in the evidence count samples of every pipeline (see the module comment). */
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
