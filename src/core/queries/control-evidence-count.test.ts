/** @jest-environment node */
import { evidenceRequests } from './control-evidence-count';

describe('evidenceRequests', () => {
  const at = (dst_service: string, direction: string, value: number, cluster = 'eu') => ({ metric: { dst_service, dst_namespace: 'ns', cluster, direction }, timeMs: 0, value });

  it("counts a request logged by both proxies once, even when they log in two formats (two pipelines' samples)", () => {
    // checkout: 40 callee lines (istio-json), 42 caller lines (istio-text): 42 requests, 2 of them never reached it.
    expect(evidenceRequests([at('checkout', 'inbound', 40), at('checkout', 'outbound', 30), at('checkout', 'outbound', 12)], 'cluster')).toBe(42);
  });

  it('counts each callee and cluster apart, one-sided callees and lines without a side as they are', () => {
    const samples = [at('a', 'inbound', 5), at('a', 'outbound', 3), at('a', 'inbound', 7, 'us'), at('b', 'outbound', 2), at('c', 'unknown', 4), { metric: {}, timeMs: 0, value: 1 }];
    expect(evidenceRequests(samples, 'cluster')).toBe(5 + 7 + 2 + 4 + 1);
  });

  it('ignores values that are no count', () => {
    expect(evidenceRequests([at('a', 'inbound', Number.NaN), at('a', 'outbound', -1), at('a', 'outbound', 2)], 'cluster')).toBe(2);
  });
});
