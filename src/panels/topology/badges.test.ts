import { parseQueryResponse } from '../../core/loki/parse/parseQueryResponse';
import { DEFAULT_LABEL_NAMES } from '../../core/query';
import { topologyFrames } from '../../datasource/frames/topologyFrames';
import { joinTopology } from '../../datasource/topology/join';
import { samplesOf } from '../../datasource/topology/samples';
import { readFixture } from '../../../test/support/fixtures';
import { computeBadges, listOption } from './badges';
import { readGraph } from './graphModel';
import { groupKey, visibleGraph } from './grouping';

const load = (name: string) => samplesOf(parseQueryResponse(readFixture(`datasource/topology/${name}.json`)), name);
const topology = joinTopology(
  { requests: load('requests'), errors: load('errors'), latency_p95: load('latency_p95'), mtls: load('mtls') },
  { groupBy: 'workload', labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: 3600 }
);
const graph = readGraph(...(topologyFrames(topology, 3600) as [never, never]));
const byId = new Map(graph.nodes.map((n) => [n.id, n]));

describe('computeBadges', () => {
  const plaintext = graph.edges.filter((e) => e.mtls === 'plaintext' || e.mtls === 'partial');
  const strictNs = byId.get(plaintext[0].target)!.namespace;

  it('badges every service of a strict namespace that receives plaintext, and nothing else', () => {
    const visible = visibleGraph(graph, new Set());
    const { byNode } = computeBadges(graph, visible, (id) => id, [strictNs], []);
    const expected = new Set(plaintext.filter((e) => byId.get(e.target)!.namespace === strictNs).map((e) => e.target));
    expect(expected.size).toBeGreaterThan(0);
    expect(new Set(byNode.keys())).toEqual(expected);
    expect(computeBadges(graph, visible, (id) => id, [], []).byNode.size).toBe(0);
  });

  it('moves the badge onto the collapsed namespace standing for the service', () => {
    const target = byId.get(plaintext.find((e) => byId.get(e.target)!.namespace === strictNs)!.target)!;
    const key = groupKey(target, 'namespace');
    const visible = visibleGraph(graph, new Set([key]));
    const { byNode } = computeBadges(graph, visible, (id) => visible.representativeOf.get(id)!, [strictNs], []);
    expect(byNode.get(key)).toEqual(['plaintext-into-strict']);
  });

  it('lists a required service absent from the frames', () => {
    const present = graph.nodes[0].workload;
    const { missingRequired } = computeBadges(graph, visibleGraph(graph, new Set()), (id) => id, [], [present, 'ledger-that-never-logged']);
    expect(missingRequired).toEqual(['ledger-that-never-logged']);
  });
});

describe('listOption', () => {
  it('splits on commas and spaces', () => {
    expect(listOption(' payments, identity  shop,,')).toEqual(['payments', 'identity', 'shop']);
    expect(listOption(undefined)).toEqual([]);
  });
});
