import type { EdgeMtlsState } from '../../core/frames';
import type { Graph, GraphEdge, GraphNode } from './graphModel';

/** The grouping levels, outermost first; a service (workload) is the leaf below them. */
export const GROUP_LEVELS = ['platform', 'cluster', 'namespace'] as const;
export type GroupLevel = (typeof GROUP_LEVELS)[number];

/** A group's key: its path from the platform down, as JSON so that no name can collide with another. */
export function groupKey(node: Pick<GraphNode, GroupLevel>, level: GroupLevel): string {
  return JSON.stringify(GROUP_LEVELS.slice(0, GROUP_LEVELS.indexOf(level) + 1).map((l) => node[l]));
}

export function groupPath(node: Pick<GraphNode, GroupLevel>): string[] {
  return GROUP_LEVELS.map((level) => groupKey(node, level));
}

/** What is drawn as one node: a service, or a collapsed group standing for every service inside it. */
export interface VisibleNode {
  /** The service's id, or the group's key. */
  id: string;
  kind: 'service' | GroupLevel;
  label: string;
  /** Services it stands for (1 for a service). */
  services: number;
  /** Requests per second in, summed over its services; null when none of them had a rate. */
  rateIn: number | null;
  /** 5xx share of inbound requests, weighted by rate; null when unknown. */
  errorShare: number | null;
  platform: string;
  cluster: string;
  namespace: string;
  /** The service itself, for a service node. */
  node?: GraphNode;
}

export interface VisibleEdge {
  id: string;
  source: string;
  target: string;
  rate: number | null;
  /** 0..100, weighted by rate over the edges it sums. */
  errorPercent: number | null;
  /** The highest p95 of the edges it sums: an upper bound, not a p95 of their union. */
  p95Ms: number | null;
  mtls: EdgeMtlsState;
  /** Ids of the frame edges it stands for. */
  edgeIds: string[];
  /** Row in the edges frame when it stands for one edge, else -1. */
  row: number;
  /** The outermost boundary it crosses. */
  crosses: 'platform' | 'cluster' | null;
}

export interface VisibleGraph {
  nodes: VisibleNode[];
  edges: VisibleEdge[];
  /** Requests per second that stay inside a collapsed group, by its key. */
  internalRate: Map<string, number>;
  /** The drawn node standing for each service id (itself, or its collapsed group). */
  representativeOf: ReadonlyMap<string, string>;
}

/** mTLS of several edges together: one state when they agree, else partial; unknown only with nothing known. */
export function combineMtls(states: readonly EdgeMtlsState[]): EdgeMtlsState {
  const known = states.filter((s) => s !== 'unknown');
  if (known.length === 0) {
    return 'unknown';
  }
  return known.every((s) => s === known[0]) && known.length === states.length ? known[0] : 'partial';
}

/** The collapsed group a service is drawn inside, outermost first; or undefined when it is drawn itself. */
export function representative(node: GraphNode, collapsed: ReadonlySet<string>): string | undefined {
  return collapsed.size === 0 ? undefined : groupPath(node).find((key) => collapsed.has(key));
}

const levelOfKey = (key: string): GroupLevel => GROUP_LEVELS[(JSON.parse(key) as string[]).length - 1];

interface Acc {
  rate: number;
  hasRate: boolean;
  errors: number;
  errorRate: number;
  p95: number | null;
  states: EdgeMtlsState[];
  ids: string[];
  first: GraphEdge | null;
}

/**
 * The graph as drawn with some groups collapsed: each collapsed group becomes one node, the edges
 * between the same two drawn nodes are summed, and traffic inside a collapsed group is kept aside.
 */
export function visibleGraph(graph: Graph, collapsed: ReadonlySet<string>): VisibleGraph {
  const rep = new Map<string, string>();
  const byId = new Map<string, VisibleNode>();
  const order: VisibleNode[] = [];
  const weightedErrors = new Map<string, { rate: number; errors: number }>();
  for (const node of graph.nodes) {
    const key = representative(node, collapsed);
    const id = key ?? node.id;
    rep.set(node.id, id);
    let v = byId.get(id);
    if (!v) {
      const kind = key ? levelOfKey(key) : 'service';
      v = {
        id,
        kind,
        label: kind === 'service' ? node.title : node[kind],
        services: 0,
        rateIn: null,
        errorShare: null,
        platform: node.platform,
        cluster: kind === 'platform' ? '' : node.cluster,
        namespace: kind === 'service' || kind === 'namespace' ? node.namespace : '',
        ...(kind === 'service' ? { node } : {}),
      };
      byId.set(id, v);
      order.push(v);
    }
    v.services++;
    if (node.rateIn !== null) {
      v.rateIn = (v.rateIn ?? 0) + node.rateIn;
    }
    if (node.errorShare !== null) {
      const w = weightedErrors.get(id) ?? { rate: 0, errors: 0 };
      const rate = node.rateIn ?? 0;
      w.rate += rate;
      w.errors += node.errorShare * rate;
      weightedErrors.set(id, w);
      if (v.kind === 'service') {
        v.errorShare = node.errorShare;
      }
    }
  }
  for (const [id, w] of weightedErrors) {
    const v = byId.get(id)!;
    if (v.kind !== 'service') {
      v.errorShare = w.rate > 0 ? w.errors / w.rate : 0;
    }
  }

  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  const accs = new Map<string, { source: string; target: string; acc: Acc; crosses: VisibleEdge['crosses'] }>();
  const internalRate = new Map<string, number>();
  for (const e of graph.edges) {
    const s = rep.get(e.source)!;
    const t = rep.get(e.target)!;
    if (s === t && s !== e.source) {
      internalRate.set(s, (internalRate.get(s) ?? 0) + (e.rate ?? 0));
      continue;
    }
    // NUL cannot be typed into a label; the pair key only has to be unique within this call.
    const key = `${s}\u0000${t}`;
    let entry = accs.get(key);
    if (!entry) {
      const a = nodeById.get(e.source)!;
      const b = nodeById.get(e.target)!;
      const crosses = a.platform !== b.platform ? 'platform' : a.cluster !== b.cluster ? 'cluster' : null;
      entry = { source: s, target: t, crosses, acc: { rate: 0, hasRate: false, errors: 0, errorRate: 0, p95: null, states: [], ids: [], first: e } };
      accs.set(key, entry);
    }
    const acc = entry.acc;
    if (e.rate !== null) {
      acc.rate += e.rate;
      acc.hasRate = true;
      if (e.errorPercent !== null) {
        acc.errors += e.errorPercent * e.rate;
        acc.errorRate += e.rate;
      }
    }
    if (e.p95Ms !== null) {
      acc.p95 = Math.max(acc.p95 ?? 0, e.p95Ms);
    }
    acc.states.push(e.mtls);
    acc.ids.push(e.id);
  }
  const edges: VisibleEdge[] = [];
  for (const { source, target, acc, crosses } of accs.values()) {
    const single = acc.ids.length === 1 ? acc.first : null;
    edges.push({
      id: acc.ids.length === 1 ? acc.ids[0] : JSON.stringify([source, target]),
      source,
      target,
      rate: acc.hasRate ? acc.rate : null,
      errorPercent: single ? single.errorPercent : acc.errorRate > 0 ? acc.errors / acc.errorRate : null,
      p95Ms: acc.p95,
      mtls: combineMtls(acc.states),
      edgeIds: acc.ids,
      row: single ? single.row : -1,
      crosses,
    });
  }
  return { nodes: order, edges, internalRate, representativeOf: rep };
}

/** Every group key at a level, for "collapse all namespaces" and the like. */
export function groupsAt(graph: Graph, level: GroupLevel): string[] {
  return [...new Set(graph.nodes.map((n) => groupKey(n, level)))].sort();
}
