import { parseQueryResponse } from '../../core/loki/parse/parseQueryResponse';
import { DEFAULT_LABEL_NAMES } from '../../core/query';
import { topologyFrames } from '../../datasource/frames/topologyFrames';
import { joinTopology } from '../../datasource/topology/join';
import { samplesOf } from '../../datasource/topology/samples';
import { readFixture } from '../../../test/support/fixtures';
import { readGraph } from './graphModel';
import { combineMtls, groupKey, groupsAt, visibleGraph } from './grouping';

const load = (name: string) => samplesOf(parseQueryResponse(readFixture(`datasource/topology/${name}.json`)), name);
const topology = joinTopology(
  { requests: load('requests'), errors: load('errors'), latency_p95: load('latency_p95'), mtls: load('mtls') },
  { groupBy: 'workload', labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: 3600 }
);
const graph = readGraph(...(topologyFrames(topology, 3600) as [never, never]));

describe('visibleGraph', () => {
  it('draws every service and edge when nothing is collapsed', () => {
    const v = visibleGraph(graph, new Set());
    expect(v.nodes.map((n) => n.id).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    expect(v.edges).toHaveLength(graph.edges.length);
  });

  it('makes a collapsed namespace one node whose edges sum the rates of the edges they stand for', () => {
    for (const key of groupsAt(graph, 'namespace')) {
      const v = visibleGraph(graph, new Set([key]));
      const inside = new Set(graph.nodes.filter((n) => groupKey(n, 'namespace') === key).map((n) => n.id));
      expect(v.nodes.filter((n) => n.id === key)).toHaveLength(1);
      expect(v.nodes.some((n) => inside.has(n.id))).toBe(false);
      const total = (edges: Array<{ rate: number | null }>) => edges.reduce((s, e) => s + (e.rate ?? 0), 0);
      const crossing = graph.edges.filter((e) => inside.has(e.source) !== inside.has(e.target));
      const internal = graph.edges.filter((e) => inside.has(e.source) && inside.has(e.target));
      expect(total(v.edges.filter((e) => e.source === key || e.target === key))).toBeCloseTo(total(crossing), 9);
      expect(v.internalRate.get(key) ?? 0).toBeCloseTo(total(internal), 9);
      // Nothing is lost: every frame edge is drawn, summed into a drawn edge, or counted inside.
      expect(v.edges.reduce((s, e) => s + e.edgeIds.length, 0) + internal.length).toBe(graph.edges.length);
    }
  });

  it('collapses a platform over its clusters and namespaces', () => {
    const key = groupsAt(graph, 'platform')[0];
    const v = visibleGraph(graph, new Set([key, ...groupsAt(graph, 'namespace')]));
    const node = v.nodes.find((n) => n.id === key)!;
    expect(node.kind).toBe('platform');
    expect(node.services).toBe(graph.nodes.filter((n) => groupKey(n, 'platform') === key).length);
  });

  it('marks edges that cross a cluster or platform boundary', () => {
    const v = visibleGraph(graph, new Set());
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    for (const e of v.edges) {
      const [a, b] = [byId.get(e.source)!, byId.get(e.target)!];
      expect(e.crosses).toBe(a.platform !== b.platform ? 'platform' : a.cluster !== b.cluster ? 'cluster' : null);
    }
  });
});

describe('combineMtls', () => {
  it('is partial when the summed edges disagree, and unknown only when nothing is known', () => {
    expect(combineMtls(['mtls', 'mtls'])).toBe('mtls');
    expect(combineMtls(['plaintext'])).toBe('plaintext');
    expect(combineMtls(['mtls', 'plaintext'])).toBe('partial');
    expect(combineMtls(['mtls', 'unknown'])).toBe('partial');
    expect(combineMtls(['unknown', 'unknown'])).toBe('unknown');
  });
});
