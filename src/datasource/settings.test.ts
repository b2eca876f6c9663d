/** @jest-environment node */
import { resolveLabelNames, resolveLogSource, resolvePolicy, resolveSettings } from './settings';
import { DEFAULT_POLICY } from '../core/policy';
import { PROFILE_NAMES } from '../core/schema';

describe('data source settings', () => {
  it('defaults to parsing every known profile when nothing is configured', () => {
    expect(resolveLogSource({})).toEqual({ kind: 'raw', profiles: [...PROFILE_NAMES] });
  });

  it('keeps only known profile names in raw mode', () => {
    const source = resolveLogSource({ logSourceMode: 'raw', profiles: ['istio-json', 'no-such-profile' as never] });
    expect(source).toEqual({ kind: 'raw', profiles: ['istio-json'] });
  });

  it('uses normalized when the shipper normalises at ingest', () => {
    expect(resolveLogSource({ logSourceMode: 'normalized', profiles: ['istio-json'] })).toEqual({ kind: 'normalized' });
  });

  it('fills label names from defaults and ignores blank overrides', () => {
    expect(resolveLabelNames({ labelNames: { cluster: 'k8s_cluster', platform: '  ' } })).toEqual({
      cluster: 'k8s_cluster',
      platform: 'platform',
      namespace: 'namespace',
      mesh: 'mesh',
      logType: 'log_type',
    });
  });

  it('merges a partial policy over the default policy', () => {
    const { policy } = resolvePolicy({ policy: { strictMtlsNamespaces: ['payments'], thresholds: { maxErrorShare: 0.01 } as never } });
    expect(policy.strictMtlsNamespaces).toEqual(['payments']);
    expect(policy.thresholds).toEqual({ ...DEFAULT_POLICY.thresholds, maxErrorShare: 0.01 });
    expect(policy.logClasses).toEqual(DEFAULT_POLICY.logClasses);
  });

  it('refuses a policy the reader refuses, naming the key, and keeps no guess of it', () => {
    const settings = resolveSettings({ lokiUid: 'l', policy: { thresholds: { maxErrorShare: 5 } } as never });
    expect(settings.policyError).toMatch(/^the data source's policy \(jsonData.policy\): "thresholds.maxErrorShare" must be a number between 0 and 1, got 5$/);
    const custom = resolveSettings({ lokiUid: 'l', policy: { controls: [{ id: 'CC6.1-x' }] } as never });
    expect(custom.policyError).toMatch(/"controls\[0\]\.criterion" must be a Trust Services Criterion/);
    expect(resolveSettings({ lokiUid: 'l' }).policyError).toBeUndefined();
  });

  it('treats an empty Loki uid as missing', () => {
    expect(resolveSettings({ lokiUid: '' }).lokiUid).toBeUndefined();
  });
});
