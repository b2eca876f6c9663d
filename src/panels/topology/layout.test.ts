import { createDataFrame } from '@grafana/data';
import { topologyFrames } from '../../datasource/frames/topologyFrames';
import { syntheticTopology } from '../../../bench/topology-mesh';
import { readGraph, type Graph } from './graphModel';
import { groupKey } from './grouping';
import { layoutGraph, type Box } from './layout';

function graphOf(services: number, seed = 7): Graph {
  const [nodes, edges] = topologyFrames(syntheticTopology(services, { platforms: 3, clusters: 6, namespaces: 40, edgesPerService: 5, seed }), 3600);
  return readGraph(nodes, edges);
}

const contains = (outer: Box, inner: { x: number; y: number; w?: number; h?: number }) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + (inner.w ?? 0) <= outer.x + outer.w && inner.y + (inner.h ?? 0) <= outer.y + outer.h;

describe('layoutGraph', () => {
  const graph = graphOf(2000);

  it('puts every service inside its namespace box, inside its cluster box, inside its platform box', () => {
    const layout = layoutGraph(graph);
    const boxes = new Map(layout.boxes.map((b) => [b.key, b]));
    expect(layout.positions.size).toBe(graph.nodes.length);
    for (const node of graph.nodes) {
      const p = layout.positions.get(node.id)!;
      const [platform, cluster, namespace] = (['platform', 'cluster', 'namespace'] as const).map((l) => boxes.get(groupKey(node, l))!);
      expect(contains(namespace, p)).toBe(true);
      expect(contains(cluster, namespace)).toBe(true);
      expect(contains(platform, cluster)).toBe(true);
    }
  });

  it('never overlaps two boxes of the same level, nor two services', () => {
    const layout = layoutGraph(graph);
    for (const level of ['platform', 'cluster', 'namespace'] as const) {
      const boxes = layout.boxes.filter((b) => b.level === level);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
          expect(apart).toBe(true);
        }
      }
    }
    const spots = new Set([...layout.positions.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(layout.positions.size);
  });

  it('gives the same positions for the same services in any row order', () => {
    const shuffled: Graph = { ...graph, nodes: [...graph.nodes].reverse(), edges: [...graph.edges].reverse() };
    expect([...layoutGraph(shuffled).positions].sort()).toEqual([...layoutGraph(graph).positions].sort());
  });

  it('keeps every other service where it was when a new service joins a namespace with room', () => {
    const before = layoutGraph(graph);
    // A namespace whose grid has a free slot: a new service there must not move anything else.
    const counts = new Map<string, number>();
    graph.nodes.forEach((n) => counts.set(groupKey(n, 'namespace'), (counts.get(groupKey(n, 'namespace')) ?? 0) + 1));
    const roomy = graph.nodes.find((n) => {
      const c = counts.get(groupKey(n, 'namespace'))!;
      return Math.ceil(Math.sqrt(c + 1)) === Math.ceil(Math.sqrt(c));
    })!;
    // "aaa" sorts before every existing name, the case where a sorted grid would shift them all.
    const newcomer = { ...roomy, id: `${roomy.id}-new`, title: 'aaa-new', workload: 'aaa-new' };
    const after = layoutGraph({ ...graph, nodes: [...graph.nodes, newcomer] }, new Set(), before.slots);
    for (const [id, p] of before.positions) {
      expect(after.positions.get(id)).toEqual(p);
    }
    expect(after.positions.has(newcomer.id)).toBe(true);
  });

  it('draws a collapsed namespace as one node in its cluster, and none of its services', () => {
    const node = graph.nodes[0];
    const key = groupKey(node, 'namespace');
    const layout = layoutGraph(graph, new Set([key]));
    expect(layout.positions.has(key)).toBe(true);
    expect(graph.nodes.filter((n) => groupKey(n, 'namespace') === key).some((n) => layout.positions.has(n.id))).toBe(false);
    const cluster = layout.boxes.find((b) => b.key === groupKey(node, 'cluster'))!;
    expect(contains(cluster, layout.positions.get(key)!)).toBe(true);
  });

  it('lays out zero and one service', () => {
    const empty = readGraph(createDataFrame({ name: 'nodes', fields: [{ name: 'id', values: [] }] }), createDataFrame({ name: 'edges', fields: [{ name: 'id', values: [] }, { name: 'source', values: [] }, { name: 'target', values: [] }] }));
    expect(layoutGraph(empty).positions.size).toBe(0);
    const one = graphOf(1);
    expect(layoutGraph(one).positions.size).toBe(1);
  });
});
