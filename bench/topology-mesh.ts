/**
 * A generated mesh in the data source's own model and frames: `services` workloads spread over
 * platforms › clusters › namespaces, about `edgesPerService` calls each, most of them inside a
 * namespace or cluster as real meshes are, some across. Seeded, so every run draws the same mesh.
 */
import type { EdgeMtlsState } from '../src/core/frames';
import { nodeId, type Topology, type TopologyEdge, type TopologyNode } from '../src/datasource/topology/model';

export interface MeshShape {
  platforms: number;
  /** Clusters per platform. */
  clusters: number;
  /** Namespaces per cluster. */
  namespaces: number;
  edgesPerService: number;
  seed: number;
}

export const ISSUE_SHAPE: MeshShape = { platforms: 3, clusters: 6, namespaces: 40, edgesPerService: 5, seed: 7 };
const PLATFORMS = ['kubernetes', 'vm', 'cloud'];
export const RANGE_S = 3600;

function random(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export function syntheticTopology(services: number, shape: MeshShape = ISSUE_SHAPE): Topology {
  const r = random(shape.seed);
  const nodes: TopologyNode[] = [];
  for (let i = 0; i < services; i++) {
    const p = i % shape.platforms;
    const c = Math.floor(i / shape.platforms) % shape.clusters;
    const n = Math.floor(i / (shape.platforms * shape.clusters)) % shape.namespaces;
    const place = { platform: PLATFORMS[p] ?? `platform-${p}`, cluster: `${PLATFORMS[p] ?? 'p'}-c${c}`, namespace: `ns-${n}`, workload: `svc-${i}` };
    nodes.push({ ...place, id: nodeId(place), level: 'workload', requestsIn: 0, requestsOut: 0, errorsIn: 0 });
  }
  const byNamespace = new Map<string, TopologyNode[]>();
  for (const node of nodes) {
    const key = `${node.cluster}/${node.namespace}`;
    byNamespace.set(key, [...(byNamespace.get(key) ?? []), node]);
  }
  const edges = new Map<string, TopologyEdge>();
  const states: EdgeMtlsState[] = ['mtls', 'mtls', 'mtls', 'mtls', 'mtls', 'mtls', 'plaintext', 'partial', 'unknown'];
  for (let tries = 0; edges.size < services * shape.edgesPerService && tries < services * shape.edgesPerService * 3; tries++) {
    const a = nodes[Math.floor(r() * services)];
    const local = byNamespace.get(`${a.cluster}/${a.namespace}`)!;
    const roll = r();
    const b = roll < 0.6 && local.length > 1 ? local[Math.floor(r() * local.length)] : roll < 0.9 ? nodes[(nodes.indexOf(a) + 3 * Math.floor(1 + r() * 40)) % services] : nodes[Math.floor(r() * services)];
    if (b === a || edges.has(`${a.id}->${b.id}`)) {
      continue;
    }
    const requests = Math.round(10 + r() * r() * 100_000);
    const errors = r() < 0.15 ? Math.round(requests * r() * 0.2) : 0;
    const mtls = states[Math.floor(r() * states.length)];
    a.requestsOut += requests;
    b.requestsIn += requests;
    b.errorsIn = (b.errorsIn ?? 0) + errors;
    edges.set(`${a.id}->${b.id}`, {
      id: `${a.id}->${b.id}`,
      source: a.id,
      target: b.id,
      requests,
      ratePerSecond: requests / RANGE_S,
      errors,
      errorPercent: (100 * errors) / requests,
      p95Ms: Math.round(2 + r() * 400),
      mtls,
      mtlsShare: mtls === 'mtls' ? 1 : mtls === 'plaintext' ? 0 : mtls === 'partial' ? 0.5 : null,
    });
  }
  return { nodes, edges: [...edges.values()], skippedSeries: 0 };
}
