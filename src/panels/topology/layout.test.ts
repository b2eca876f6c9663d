/** @jest-environment node */
import type { Graph, GraphNode } from './graphModel';
import { depths, layoutGraph, LAYOUT } from './layout';

const node = (id: string, namespace: string, cluster = 'c1'): GraphNode => ({
  id,
  title: id,
  subtitle: '',
  platform: 'kubernetes',
  cluster,
  namespace,
  rateIn: null,
  errorShare: null,
});
const edge = (source: string, target: string) => ({
  id: `${source}->${target}`,
  source,
  target,
  rate: 1,
  errorPercent: 0,
  p95Ms: 10,
  mtls: 'mtls' as const,
});

const mesh: Graph = {
  nodes: [node('gateway', 'edge'), node('web', 'shop'), node('api', 'shop'), node('db', 'data'), node('cache', 'data')],
  edges: [edge('gateway', 'web'), edge('web', 'api'), edge('api', 'db'), edge('web', 'cache'), edge('gateway', 'api')],
  danglingEdges: 0,
};

describe('depths', () => {
  it('puts callers left of callees by the longest call path', () => {
    const d = depths(mesh);
    expect(Object.fromEntries(d)).toEqual({ gateway: 0, web: 1, api: 2, db: 3, cache: 2 });
  });

  it('terminates on cycles and self-calls', () => {
    const cyclic: Graph = {
      nodes: [node('a', 'x'), node('b', 'x')],
      edges: [edge('a', 'b'), edge('b', 'a'), edge('a', 'a')],
      danglingEdges: 0,
    };
    const d = depths(cyclic);
    expect(d.get('a')).toBeLessThanOrEqual(2);
    expect(d.get('b')).toBeLessThanOrEqual(2);
  });
});

describe('layoutGraph', () => {
  it('makes one lane per namespace, sorted, each node inside its lane', () => {
    const layout = layoutGraph(mesh, 'namespace');
    expect(layout.lanes.map((l) => l.key)).toEqual(['data', 'edge', 'shop']);
    for (const placed of layout.nodes.values()) {
      const lane = layout.lanes.find((l) => l.key === placed.node.namespace)!;
      expect(placed.y).toBeGreaterThan(lane.y);
      expect(placed.y).toBeLessThan(lane.y + lane.height);
      expect(placed.x).toBeLessThan(layout.width);
    }
  });

  it('places columns by call depth and never overlaps two nodes', () => {
    const layout = layoutGraph(mesh, 'namespace');
    const x = (id: string) => layout.nodes.get(id)!.x;
    expect(x('gateway')).toBeLessThan(x('web'));
    expect(x('web')).toBeLessThan(x('api'));
    expect(x('api')).toBeLessThan(x('db'));
    const spots = [...layout.nodes.values()].map((p) => `${p.x},${p.y}`);
    expect(new Set(spots).size).toBe(spots.length);
  });

  it('stacks nodes of the same lane and column in rows', () => {
    const graph: Graph = { nodes: [node('a', 'x'), node('b', 'x'), node('c', 'x')], edges: [], danglingEdges: 0 };
    const layout = layoutGraph(graph, 'namespace');
    const ys = ['a', 'b', 'c'].map((id) => layout.nodes.get(id)!.y);
    expect(ys[1] - ys[0]).toBe(LAYOUT.row);
    expect(ys[2] - ys[1]).toBe(LAYOUT.row);
    expect(layout.lanes[0].height).toBe(LAYOUT.lanePad + 3 * LAYOUT.row);
  });

  it('uses one unnamed lane when swimlanes are off', () => {
    const layout = layoutGraph(mesh, 'none');
    expect(layout.lanes).toHaveLength(1);
    expect(layout.lanes[0].key).toBe('');
  });

  it('is deterministic', () => {
    expect([...layoutGraph(mesh, 'cluster').nodes.entries()]).toEqual([...layoutGraph(mesh, 'cluster').nodes.entries()]);
  });
});
