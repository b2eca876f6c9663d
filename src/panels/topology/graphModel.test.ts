import { createDataFrame, FieldType } from '@grafana/data';
import { parseQueryResponse } from '../../core/loki/parse/parseQueryResponse';
import { DEFAULT_LABEL_NAMES } from '../../core/query';
// The data source's own frame builder: the panel must read exactly what the data source returns.
import { topologyFrames } from '../../datasource/frames/topologyFrames';
import { joinTopology } from '../../datasource/topology/join';
import { samplesOf } from '../../datasource/topology/samples';
import { FrameShapeError } from '../frames/findFrame';
import { readGraph } from './graphModel';
import { readFixture } from '../../../test/support/fixtures';

const load = (name: string) => samplesOf(parseQueryResponse(readFixture(`datasource/topology/${name}.json`)), name);
const HOUR = 3600;

describe('readGraph', () => {
  const topology = joinTopology(
    { requests: load('requests'), errors: load('errors'), latency_p95: load('latency_p95'), mtls: load('mtls') },
    { groupBy: 'workload', labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: HOUR }
  );
  const [nodes, edges] = topologyFrames(topology, HOUR, 'A');

  it('reads every node and edge of the data source frames', () => {
    const graph = readGraph(nodes, edges);
    expect(graph.nodes).toHaveLength(topology.nodes.length);
    expect(graph.edges).toHaveLength(topology.edges.length);
    expect(graph.danglingEdges).toBe(0);
  });

  it('keeps place, rate, error share, p95 and mTLS state as the data source computed them', () => {
    const graph = readGraph(nodes, edges);
    for (const expected of topology.edges) {
      const edge = graph.edges.find((e) => e.id === expected.id)!;
      expect(edge.source).toBe(expected.source);
      expect(edge.target).toBe(expected.target);
      expect(edge.rate).toBeCloseTo(expected.ratePerSecond, 10);
      expect(edge.errorPercent).toBe(expected.errorPercent);
      expect(edge.p95Ms).toBe(expected.p95Ms);
      expect(edge.mtls).toBe(expected.mtls);
    }
    for (const expected of topology.nodes) {
      const node = graph.nodes.find((n) => n.id === expected.id)!;
      expect([node.platform, node.cluster, node.namespace]).toEqual([expected.platform, expected.cluster, expected.namespace]);
      const share = expected.requestsIn > 0 && expected.errorsIn !== null ? expected.errorsIn / expected.requestsIn : null;
      if (share === null) {
        expect(node.errorShare).toBeNull();
      } else {
        expect(node.errorShare).toBeCloseTo(share, 10);
      }
    }
  });

  it('derives nodes from edges when there is no nodes frame, as the Node Graph does', () => {
    const graph = readGraph(undefined, edges);
    const ids = new Set(topology.edges.flatMap((e) => [e.source, e.target]));
    expect(new Set(graph.nodes.map((n) => n.id))).toEqual(ids);
    expect(graph.nodes.every((n) => n.errorShare === null && n.namespace === 'unknown')).toBe(true);
  });

  it('counts edges whose ends are not in the nodes frame instead of drawing them', () => {
    const lonely = createDataFrame({
      name: 'nodes',
      fields: [{ name: 'id', type: FieldType.string, values: ['a'] }],
    });
    const two = createDataFrame({
      name: 'edges',
      fields: [
        { name: 'id', type: FieldType.string, values: ['a->b', 'a->a'] },
        { name: 'source', type: FieldType.string, values: ['a', 'a'] },
        { name: 'target', type: FieldType.string, values: ['b', 'a'] },
        { name: 'detail__mtls', type: FieldType.string, values: ['bogus', 'plaintext'] },
      ],
    });
    const graph = readGraph(lonely, two);
    expect(graph.danglingEdges).toBe(1);
    expect(graph.edges).toEqual([expect.objectContaining({ id: 'a->a', mtls: 'plaintext', rate: null })]);
  });

  it('rejects an edges frame without source or target with a message naming the field', () => {
    const broken = createDataFrame({ name: 'edges', fields: [{ name: 'id', type: FieldType.string, values: ['x'] }] });
    expect(() => readGraph(undefined, broken)).toThrow(FrameShapeError);
    expect(() => readGraph(undefined, broken)).toThrow('The "edges" frame has no "source" field.');
  });

  it('reads an unknown mTLS state as unknown, never as a state it is not', () => {
    const frame = createDataFrame({
      name: 'edges',
      fields: [
        { name: 'id', type: FieldType.string, values: ['e'] },
        { name: 'source', type: FieldType.string, values: ['a'] },
        { name: 'target', type: FieldType.string, values: ['b'] },
        { name: 'detail__mtls', type: FieldType.string, values: ['MTLS'] },
      ],
    });
    expect(readGraph(undefined, frame).edges[0].mtls).toBe('unknown');
  });
});

describe('readGraph on a query grouped by namespace', () => {
  const byNamespace = joinTopology(
    { requests: load('requests'), errors: load('errors'), latency_p95: load('latency_p95'), mtls: load('mtls') },
    { groupBy: 'namespace', labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: HOUR }
  );
  const [nodes, edges] = topologyFrames(byNamespace, HOUR, 'A');

  it('reads namespace nodes without a workload, so that no link filters lines by a service of the namespace name', () => {
    const graph = readGraph(nodes, edges);
    expect(graph.nodes).toHaveLength(byNamespace.nodes.length);
    for (const node of graph.nodes) {
      expect(node.workload).toBe('');
      expect(node.title).toBe(node.namespace);
    }
  });
});
