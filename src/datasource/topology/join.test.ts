/** @jest-environment node */
import { parseQueryResponse } from '../../core/loki/parse/parseQueryResponse';
import { DEFAULT_LABEL_NAMES } from '../../core/query';
import { joinTopology, mtlsState, type TopologyVectors } from './join';
import { nodeId } from './model';
import { samplesOf } from './samples';
import { readFixture } from '../../../test/support/fixtures';

const load = (name: string) => samplesOf(parseQueryResponse(readFixture(`datasource/topology/${name}.json`)), name);

function fixtureVectors(): TopologyVectors {
  return { requests: load('requests'), errors: load('errors'), latency_p95: load('latency_p95'), mtls: load('mtls') };
}

const HOUR = 3600;
const id = (platform: string, cluster: string, namespace: string, workload: string) =>
  nodeId({ platform, cluster, namespace, workload });

describe('joinTopology over the four named queries', () => {
  const topology = joinTopology(fixtureVectors(), { groupBy: 'workload', labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: HOUR });
  const edge = (src: string, dst: string) => {
    const found = topology.edges.find((e) => e.source.includes(`"${src}"`) && e.target.includes(`"${dst}"`));
    if (!found) {
      throw new Error(`no edge ${src} -> ${dst}`);
    }
    return found;
  };

  it('has one edge per edge key and a node per endpoint', () => {
    expect(topology.edges).toHaveLength(5);
    expect(topology.nodes).toHaveLength(9);
    expect(topology.skippedSeries).toBe(0);
  });

  it('turns counts over the range into request rates and error percentages', () => {
    const e = edge('productpage-v1', 'reviews');
    expect(e.requests).toBe(35400);
    expect(e.ratePerSecond).toBeCloseTo(35400 / HOUR, 10);
    expect(e.errorPercent).toBeCloseTo(5, 10);
    expect(e.p95Ms).toBeCloseTo(31.2, 10);
    expect(edge('productpage-v1', 'details').errorPercent).toBe(0);
  });

  it('derives the mTLS state from the per-state counts', () => {
    expect(edge('istio-ingressgateway', 'productpage').mtls).toBe('mtls');
    expect(edge('istio-ingressgateway', 'productpage').mtlsShare).toBe(1);
    const partial = edge('productpage-v1', 'details');
    expect(partial.mtls).toBe('partial');
    expect(partial.mtlsShare).toBeCloseTo(30000 / 36000, 10);
    expect(edge('billing', 'ledger').mtls).toBe('plaintext');
    expect(edge('reviews-v3', 'ratings').mtls).toBe('unknown');
    expect(edge('reviews-v3', 'ratings').mtlsShare).toBeNull();
  });

  it('keeps a NaN latency as unknown (null), not zero', () => {
    expect(edge('billing', 'ledger').p95Ms).toBeNull();
  });

  it('sums node traffic in and out', () => {
    const pp = topology.nodes.find((n) => n.id === id('kubernetes', 'prod-east', 'bookinfo', 'productpage'))!;
    expect(pp.requestsIn).toBe(36000);
    expect(pp.errorsIn).toBe(180);
    const caller = topology.nodes.find((n) => n.id === id('kubernetes', 'prod-east', 'bookinfo', 'productpage-v1'))!;
    expect(caller.requestsOut).toBe(35400 + 36000);
  });

  it('collapses edges at the namespace level and sums their counts', () => {
    const byNs = joinTopology(fixtureVectors(), { groupBy: 'namespace', labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: HOUR });
    const inner = byNs.edges.find((e) => e.source === id('kubernetes', 'prod-east', 'bookinfo', '') && e.target === id('kubernetes', 'prod-east', 'bookinfo', ''))!;
    expect(inner.requests).toBe(35400 + 36000 + 11800);
    expect(inner.errors).toBe(1770);
    // mtls 35400 + 30000 of 83200: partial.
    expect(inner.mtls).toBe('partial');
    expect(inner.p95Ms).toBeCloseTo(31.2, 10);
    expect(byNs.nodes.map((n) => n.namespace).sort()).toEqual(['bookinfo', 'istio-system', 'payments']);
  });

  it('reads cluster and platform from the configured label names and says unknown when absent', () => {
    const names = { ...DEFAULT_LABEL_NAMES, cluster: 'k8s_cluster' };
    const t = joinTopology(fixtureVectors(), { groupBy: 'cluster', labelNames: names, rangeSeconds: HOUR });
    expect(t.nodes.map((n) => n.cluster)).toEqual(['unknown', 'unknown']);
    expect(t.nodes.map((n) => n.platform).sort()).toEqual(['kubernetes', 'vm']);
  });

  it('counts series it cannot use instead of dropping them silently', () => {
    const vectors = fixtureVectors();
    vectors.requests = [...vectors.requests, { metric: { src_workload: 'x' }, timeMs: 0, value: NaN }];
    vectors.errors = [...vectors.errors!, { metric: { src_workload: 'ghost', dst_service: 'nowhere' }, timeMs: 0, value: 3 }];
    const t = joinTopology(vectors, { groupBy: 'workload', labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: HOUR });
    expect(t.skippedSeries).toBe(2);
    expect(t.edges).toHaveLength(5);
  });

  it('leaves errors, latency and mTLS unknown when those queries were not run', () => {
    const t = joinTopology({ requests: load('requests') }, { groupBy: 'workload', labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: HOUR });
    expect(t.edges.every((e) => e.errors === null && e.errorPercent === null && e.p95Ms === null && e.mtls === 'unknown')).toBe(true);
  });
});

describe('mtlsState', () => {
  it.each([
    [100, 100, 0, true, 'mtls'],
    [100, 40, 60, true, 'partial'],
    [100, 0, 100, true, 'plaintext'],
    [100, 0, 0, true, 'unknown'],
    [100, 0, 0, false, 'unknown'],
    [0, 0, 0, true, 'unknown'],
    [100, null, 0, false, 'unknown'],
  ] as const)('requests=%s mtls=%s plaintext=%s states=%s -> %s', (req, m, p, states, expected) => {
    expect(mtlsState(req, m, p, states)).toBe(expected);
  });
});
