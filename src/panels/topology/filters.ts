import type { VisibleEdge, VisibleGraph, VisibleNode } from './grouping';

/** 5xx percent at which an edge or node turns warning / critical (panel options). */
export interface Thresholds {
  warnPercent: number;
  criticalPercent: number;
}

export type Health = 'ok' | 'warning' | 'critical' | 'idle';

export function health(errorShare: number | null, t: Thresholds): Health {
  if (errorShare === null) {
    return 'idle';
  }
  const pct = errorShare * 100;
  return pct >= t.criticalPercent ? 'critical' : pct >= t.warnPercent ? 'warning' : 'ok';
}

export function edgeHealth(edge: VisibleEdge, t: Thresholds): Health {
  return edge.errorPercent === null ? 'idle' : health(edge.errorPercent / 100, t);
}

const unhealthyEdge = (e: VisibleEdge, t: Thresholds) => e.mtls !== 'mtls' || ['warning', 'critical'].includes(edgeHealth(e, t));

export interface FilterOptions {
  search: string;
  hideHealthy: boolean;
  /** Show only this node and what lies within `hops` edges of it (either direction). */
  focus: string | null;
  hops: number;
  thresholds: Thresholds;
}

export interface Filtered {
  /** Nodes drawn; edges are drawn when both ends are. */
  shown: Set<string>;
  /** Nodes the search matched (drawn highlighted, the rest faded); null without a search. */
  matches: Set<string> | null;
}

export function matchesSearch(node: VisibleNode, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q !== '' && [node.label, node.namespace, node.cluster, node.platform].some((s) => s.toLowerCase().includes(q));
}

/** Node ids within `hops` of `start`, following edges either way. */
export function neighbourhood(graph: VisibleGraph, start: string, hops: number): Set<string> {
  const adjacent = new Map<string, string[]>();
  for (const e of graph.edges) {
    for (const [from, to] of [
      [e.source, e.target],
      [e.target, e.source],
    ]) {
      const list = adjacent.get(from);
      if (list) {
        list.push(to);
      } else {
        adjacent.set(from, [to]);
      }
    }
  }
  const seen = new Set([start]);
  let frontier = [start];
  for (let hop = 0; hop < hops && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const n of adjacent.get(id) ?? []) {
        if (!seen.has(n)) {
          seen.add(n);
          next.push(n);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

/**
 * Which nodes to draw. "Hide healthy" keeps a node that is erroring or that has a plaintext,
 * partial, unknown or erroring edge, and the far end of such an edge, so that a problem is
 * never drawn with one side missing.
 */
export function filterGraph(graph: VisibleGraph, options: FilterOptions): Filtered {
  let shown = new Set(graph.nodes.map((n) => n.id));
  if (options.focus !== null && shown.has(options.focus)) {
    shown = neighbourhood(graph, options.focus, Math.max(0, options.hops));
  }
  if (options.hideHealthy) {
    const keep = new Set<string>();
    for (const n of graph.nodes) {
      if (['warning', 'critical'].includes(health(n.errorShare, options.thresholds))) {
        keep.add(n.id);
      }
    }
    for (const e of graph.edges) {
      if (unhealthyEdge(e, options.thresholds)) {
        keep.add(e.source);
        keep.add(e.target);
      }
    }
    shown = new Set([...shown].filter((id) => keep.has(id)));
  }
  const matches = options.search.trim() === '' ? null : new Set(graph.nodes.filter((n) => shown.has(n.id) && matchesSearch(n, options.search)).map((n) => n.id));
  return { shown, matches };
}
