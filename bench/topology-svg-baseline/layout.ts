import type { Graph, GraphNode } from '../../src/panels/topology/graphModel';

export type SwimlaneKey = 'platform' | 'cluster' | 'namespace' | 'none';

export interface PlacedNode {
  node: GraphNode;
  x: number;
  y: number;
}

export interface Lane {
  key: string;
  y: number;
  height: number;
}

export interface Layout {
  nodes: Map<string, PlacedNode>;
  lanes: Lane[];
  width: number;
  height: number;
}

export const LAYOUT = { column: 210, row: 64, laneGap: 18, lanePad: 30, margin: 24 };

/**
 * Call depth of every node: callers left, callees right. Longest path from a node with no
 * callers, iterated a bounded number of times so cycles (A calls B calls A) cannot loop forever.
 */
export function depths(graph: Graph): Map<string, number> {
  const depth = new Map(graph.nodes.map((n) => [n.id, 0]));
  const rounds = Math.min(graph.nodes.length, 64);
  for (let round = 0; round < rounds; round++) {
    let changed = false;
    for (const e of graph.edges) {
      if (e.source === e.target) {
        continue;
      }
      const next = (depth.get(e.source) ?? 0) + 1;
      if (next > (depth.get(e.target) ?? 0) && next <= rounds) {
        depth.set(e.target, next);
        changed = true;
      }
    }
    if (!changed) {
      break;
    }
  }
  return depth;
}

/** Swimlanes per platform / cluster / namespace, columns by call depth; deterministic for equal input. */
export function layoutGraph(graph: Graph, laneBy: SwimlaneKey): Layout {
  const depth = depths(graph);
  const laneOf = (n: GraphNode) => (laneBy === 'none' ? '' : n[laneBy]);
  const laneKeys = [...new Set(graph.nodes.map(laneOf))].sort();
  const nodes = new Map<string, PlacedNode>();
  const lanes: Lane[] = [];
  let y = LAYOUT.margin;
  let maxDepth = 0;
  for (const key of laneKeys) {
    const members = graph.nodes.filter((n) => laneOf(n) === key).sort((a, b) => a.title.localeCompare(b.title));
    const rowsPerColumn = new Map<number, number>();
    for (const node of members) {
      const d = depth.get(node.id) ?? 0;
      const row = rowsPerColumn.get(d) ?? 0;
      rowsPerColumn.set(d, row + 1);
      maxDepth = Math.max(maxDepth, d);
      nodes.set(node.id, {
        node,
        x: LAYOUT.margin + LAYOUT.column / 2 + d * LAYOUT.column,
        y: y + LAYOUT.lanePad + LAYOUT.row / 2 + row * LAYOUT.row,
      });
    }
    const rows = Math.max(1, ...rowsPerColumn.values());
    const height = LAYOUT.lanePad + rows * LAYOUT.row;
    lanes.push({ key, y, height });
    y += height + LAYOUT.laneGap;
  }
  return {
    nodes,
    lanes,
    width: LAYOUT.margin * 2 + (maxDepth + 1) * LAYOUT.column,
    height: Math.max(y - LAYOUT.laneGap + LAYOUT.margin, LAYOUT.margin * 2),
  };
}
