import { topologyFrames } from '../../datasource/frames/topologyFrames';
import { syntheticTopology } from '../../../bench/topology-mesh';
import { filterGraph, neighbourhood } from './filters';
import { readGraph } from './graphModel';
import { visibleGraph } from './grouping';

const thresholds = { warnPercent: 1, criticalPercent: 5 };
const [nodes, edges] = topologyFrames(syntheticTopology(300), 3600);
const graph = visibleGraph(readGraph(nodes, edges), new Set());
const none = { search: '', hideHealthy: false, focus: null, hops: 1, thresholds };

describe('filterGraph', () => {
  it('shows everything without a filter', () => {
    expect(filterGraph(graph, none).shown.size).toBe(graph.nodes.length);
  });

  it('focus keeps exactly the nodes within n hops, either direction', () => {
    const start = graph.nodes[0].id;
    const one = filterGraph(graph, { ...none, focus: start, hops: 1 }).shown;
    const expected = new Set([start, ...graph.edges.filter((e) => e.source === start).map((e) => e.target), ...graph.edges.filter((e) => e.target === start).map((e) => e.source)]);
    expect(one).toEqual(expected);
    const two = neighbourhood(graph, start, 2);
    expect([...one].every((id) => two.has(id))).toBe(true);
    expect(two.size).toBeGreaterThan(one.size);
    expect(neighbourhood(graph, start, 0)).toEqual(new Set([start]));
  });

  it('hide healthy keeps both ends of every plaintext or erroring edge and drops a healthy mTLS-only service', () => {
    const shown = filterGraph(graph, { ...none, hideHealthy: true }).shown;
    for (const e of graph.edges) {
      if (e.mtls !== 'mtls' || (e.errorPercent ?? 0) >= 1) {
        expect(shown.has(e.source) && shown.has(e.target)).toBe(true);
      }
    }
    const healthy = graph.nodes.filter(
      (n) => (n.errorShare ?? 0) * 100 < 1 && graph.edges.filter((e) => e.source === n.id || e.target === n.id).every((e) => e.mtls === 'mtls' && (e.errorPercent ?? 0) < 1)
    );
    expect(healthy.length).toBeGreaterThan(0);
    expect(healthy.some((n) => shown.has(n.id))).toBe(false);
  });

  it('search matches names case-insensitively and treats markup as text', () => {
    const target = graph.nodes[5];
    const found = filterGraph(graph, { ...none, search: target.label.toUpperCase() }).matches!;
    expect(found.has(target.id)).toBe(true);
    expect(filterGraph(graph, { ...none, search: '<script>' }).matches!.size).toBe(0);
  });
});
