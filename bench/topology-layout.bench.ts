/**
 * The topology panel's main-thread work before it draws: reading the frames, grouping (nothing and
 * every namespace collapsed) and the nested-grid layout, on generated meshes in the data source's
 * frames. Printed to show whether the layout needs a worker (it would if it took a frame or more).
 */
import { topologyFrames } from '../src/datasource/frames/topologyFrames';
import { readGraph } from '../src/panels/topology/graphModel';
import { groupsAt, visibleGraph } from '../src/panels/topology/grouping';
import { layoutGraph } from '../src/panels/topology/layout';
import { medianMs, report } from './harness';
import { ISSUE_SHAPE, RANGE_S, syntheticTopology } from './topology-mesh';

for (const services of [200, 2000, 5000, 20_000]) {
  // 20,000 services with 5x edges overflows the data source's frame builder (a spread of every edge); 1x here.
  const shape = services > 5000 ? { ...ISSUE_SHAPE, edgesPerService: 1 } : ISSUE_SHAPE;
  const [nodes, edges] = topologyFrames(syntheticTopology(services, shape), RANGE_S);
  const graph = readGraph(nodes, edges);
  const namespaces = new Set(groupsAt(graph, 'namespace'));
  const label = `${services} services, ${graph.edges.length} edges`;
  report(`${label}: read frames`, `${medianMs(() => readGraph(nodes, edges), 5, 1).toFixed(1)} ms`);
  report(`${label}: group (nothing collapsed)`, `${medianMs(() => visibleGraph(graph, new Set()), 5, 1).toFixed(1)} ms`);
  report(`${label}: group (namespaces collapsed)`, `${medianMs(() => visibleGraph(graph, namespaces), 5, 1).toFixed(1)} ms`);
  report(`${label}: layout`, `${medianMs(() => layoutGraph(graph), 5, 1).toFixed(1)} ms`);
}
