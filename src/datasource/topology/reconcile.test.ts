/** @jest-environment node */
import type { VectorSample } from '../../core/loki/types';
import { DEFAULT_LABEL_NAMES, type TopologyGroupBy } from '../../core/query';
import { joinTopology } from './join';
import { nodeId } from './model';

type Metric = Record<string, string>;
const base = { platform: 'kubernetes', cluster: 'prod-eu', dst_service: 'payments-api', dst_namespace: 'payments' };
const fromCaller: Metric = { ...base, direction: 'outbound', src_workload: 'checkout', src_namespace: 'shop' };
const fromCallee: Metric = { ...base, direction: 'inbound' };
const sample = (metric: Metric, value: number): VectorSample => ({ metric, timeMs: 0, value });

function join(
  requests: Array<[Metric, number]>,
  mtls: Array<[Metric, string, number]>,
  errors: Array<[Metric, number]> = [],
  groupBy: TopologyGroupBy = 'workload'
) {
  return joinTopology(
    {
      requests: requests.map(([m, v]) => sample(m, v)),
      errors: errors.map(([m, v]) => sample(m, v)),
      mtls: mtls.map(([m, state, v]) => sample({ ...m, mtls: state }, v)),
    },
    { groupBy, labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: 100 }
  );
}

const caller = nodeId({ platform: 'kubernetes', cluster: 'prod-eu', namespace: 'shop', workload: 'checkout' });
const unknownCaller = nodeId({ platform: 'kubernetes', cluster: 'prod-eu', namespace: 'unknown', workload: 'unknown' });

describe('joinTopology pairs the caller and callee reports of one request', () => {
  it('counts a request logged by both proxies once, with the mTLS state only the callee saw', () => {
    const t = join(
      [
        [fromCaller, 100],
        [fromCallee, 100],
      ],
      [
        [fromCaller, 'unknown', 100],
        [fromCallee, 'mtls', 100],
      ]
    );
    expect(t.edges).toHaveLength(1);
    expect(t.edges[0]).toMatchObject({ source: caller, requests: 100, mtls: 'mtls', mtlsShare: 1 });
    expect(t.nodes.find((n) => n.workload === 'payments-api')?.requestsIn).toBe(100);
  });

  it('keeps the callee reports beyond the callers as an unknown caller: unmeshed, plaintext clients', () => {
    const t = join(
      [
        [fromCaller, 100],
        [fromCallee, 130],
      ],
      [
        [fromCaller, 'unknown', 100],
        [fromCallee, 'mtls', 100],
        [fromCallee, 'plaintext', 30],
      ]
    );
    const bySource = Object.fromEntries(t.edges.map((e) => [e.source, e]));
    expect(bySource[caller]).toMatchObject({ requests: 100, mtls: 'mtls' });
    expect(bySource[unknownCaller]).toMatchObject({ requests: 30, mtls: 'plaintext' });
    expect(t.nodes.find((n) => n.workload === 'payments-api')?.requestsIn).toBe(130);
  });

  it('splits the paired errors from the unmeshed ones', () => {
    const t = join(
      [
        [fromCaller, 100],
        [fromCallee, 110],
      ],
      [],
      [
        [fromCaller, 8],
        [fromCallee, 10],
      ]
    );
    const bySource = Object.fromEntries(t.edges.map((e) => [e.source, e]));
    expect(bySource[caller].errors).toBe(8);
    expect(bySource[unknownCaller]).toMatchObject({ requests: 10, errors: 2 });
  });

  it('leaves callee-only meshes alone: Linkerd logs inbound only', () => {
    const linkerd: Metric = { ...fromCallee, src_namespace: 'shop' };
    const t = join([[linkerd, 50]], [[linkerd, 'mtls', 50]]);
    expect(t.edges).toHaveLength(1);
    expect(t.edges[0]).toMatchObject({ requests: 50, mtls: 'mtls' });
  });

  it('keeps its own TLS evidence on a caller edge that has some', () => {
    const t = join(
      [
        [fromCaller, 10],
        [fromCallee, 10],
      ],
      [
        [fromCaller, 'plaintext', 10],
        [fromCallee, 'mtls', 10],
      ]
    );
    expect(t.edges).toEqual([expect.objectContaining({ source: caller, requests: 10, mtls: 'plaintext' })]);
  });

  it('counts once at cluster level, where both reports fall on the same node', () => {
    const t = join(
      [
        [fromCaller, 100],
        [fromCallee, 120],
      ],
      [],
      [],
      'cluster'
    );
    expect(t.edges).toHaveLength(1);
    expect(t.edges[0].requests).toBe(120);
  });

  it('leaves reports without a direction (fixtures, envoy-text) as they are', () => {
    const { direction: _, ...noDirection } = fromCaller;
    const t = join([[noDirection, 7]], []);
    expect(t.edges).toEqual([expect.objectContaining({ source: caller, requests: 7 })]);
  });
});
