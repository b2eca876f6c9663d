import { FieldType, type DataFrame } from '@grafana/data';
import { parseQueryResponse } from '../../core/loki/parse/parseQueryResponse';
import { DEFAULT_LABEL_NAMES } from '../../core/query';
import { joinTopology } from '../topology/join';
import { samplesOf } from '../topology/samples';
import { NODE_GRAPH_VISIBLE_LIMIT, topologyFrames } from './topologyFrames';
import { readFixture } from '../../../test/support/fixtures';
import { ISSUE_SHAPE, syntheticTopology } from '../../../bench/topology-mesh';

const load = (name: string) => samplesOf(parseQueryResponse(readFixture(`datasource/topology/${name}.json`)), name);
const HOUR = 3600;

const field = (frame: DataFrame, name: string) => {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) {
    throw new Error(`no field ${name} in ${frame.name}`);
  }
  return f;
};

describe('topology frames (Node Graph contract)', () => {
  const topology = joinTopology(
    { requests: load('requests'), errors: load('errors'), latency_p95: load('latency_p95'), mtls: load('mtls') },
    { groupBy: 'workload', labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: HOUR }
  );
  const [nodes, edges] = topologyFrames(topology, HOUR, 'A');

  it('names the frames nodes and edges and prefers the node graph', () => {
    expect([nodes.name, edges.name]).toEqual(['nodes', 'edges']);
    expect(nodes.meta?.preferredVisualisationType).toBe('nodeGraph');
    expect(edges.meta?.preferredVisualisationType).toBe('nodeGraph');
    expect(nodes.refId).toBe('A');
  });

  it('gives edges the required id/source/target and stats', () => {
    expect(edges.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['id', 'source', 'target', 'mainstat', 'secondarystat', 'thickness', 'color', 'detail__mtls', 'detail__p95_ms'])
    );
    const nodeIds = new Set(field(nodes, 'id').values);
    for (const s of [...field(edges, 'source').values, ...field(edges, 'target').values]) {
      expect(nodeIds.has(s)).toBe(true);
    }
    const i = field(edges, 'target').values.findIndex((t: string) => t.includes('"reviews"'));
    expect(field(edges, 'mainstat').values[i]).toBeCloseTo(35400 / HOUR, 10);
    expect(field(edges, 'mainstat').config.unit).toBe('reqps');
    expect(field(edges, 'secondarystat').values[i]).toBeCloseTo(5, 10);
    expect(field(edges, 'detail__mtls').values[i]).toBe('mtls');
    expect(field(edges, 'detail__mtls').type).toBe(FieldType.string);
  });

  it('gives nodes platform, cluster, namespace and workload details', () => {
    const i = field(nodes, 'title').values.indexOf('ratings');
    expect(field(nodes, 'detail__platform').values[i]).toBe('kubernetes');
    expect(field(nodes, 'detail__cluster').values[i]).toBe('prod-east');
    expect(field(nodes, 'detail__namespace').values[i]).toBe('bookinfo');
    expect(field(nodes, 'detail__workload').values[i]).toBe('ratings');
    expect(field(nodes, 'subtitle').values[i]).toBe('bookinfo · prod-east');
  });

  it('has arc__ fields that sum to 1 for every node', () => {
    const arcs = nodes.fields.filter((f) => f.name.startsWith('arc__'));
    expect(arcs.length).toBeGreaterThan(0);
    for (let row = 0; row < nodes.length; row++) {
      const sum = arcs.reduce((acc, f) => acc + f.values[row], 0);
      expect(sum).toBeCloseTo(1, 10);
    }
    const rev = field(nodes, 'title').values.indexOf('reviews');
    expect(field(nodes, 'arc__errors').values[rev]).toBeCloseTo(0.05, 10);
  });

  it('warns when there are more nodes than the Node Graph shows', () => {
    const many = joinTopology(
      {
        requests: Array.from({ length: NODE_GRAPH_VISIBLE_LIMIT + 1 }, (_, i) => ({
          metric: { src_workload: 'client', dst_service: `svc-${i}` },
          timeMs: 0,
          value: 1,
        })),
      },
      { groupBy: 'workload', labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: HOUR }
    );
    const [n] = topologyFrames(many, HOUR);
    expect(n.meta?.notices?.[0].text).toContain('Group by namespace');
    expect(topologyFrames(topology, HOUR)[0].meta?.notices).toBeUndefined();
  });
});

describe('topology frames at scale', () => {
  it('builds the frames of 25,000 services with 5 edges each (a spread into Math.max overflowed the stack)', () => {
    const topology = syntheticTopology(25_000, { ...ISSUE_SHAPE, edgesPerService: 5 });
    expect(topology.edges.length).toBe(125_000);
    const [, edges] = topologyFrames(topology, HOUR);
    expect(edges.length).toBe(topology.edges.length);
  });
});
