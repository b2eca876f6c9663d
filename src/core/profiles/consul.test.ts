/** @jest-environment node */
import { consul } from './consul';
import { detectProfile } from './index';
import { POD_CONTEXT, recordOf } from '../../../test/support/profiles';
import { fixtureLines } from '../../../test/support/fixtures';

const lines = fixtureLines('consul.log');

describe('consul (constructed lines, consul.log)', () => {
  it('L1: outbound to backend from the Consul cluster name', () => {
    expect(recordOf(consul, lines[0], POD_CONTEXT)).toMatchObject({
      mesh: 'consul',
      format: 'consul',
      direction: 'outbound',
      dst_service: 'backend',
      dst_namespace: 'default',
      dst_address: '10.0.3.17:20000',
      dst_port: 20000,
      src_workload: 'orders',
      src_namespace: 'team-a',
      status: 200,
      authz: 'allow',
      mtls: 'unknown',
      mtls_basis: 'none',
    });
  });

  it('L2: inbound at local_app; the Consul SNI names the service and counts as mTLS by SNI', () => {
    expect(recordOf(consul, lines[1])).toMatchObject({
      direction: 'inbound',
      dst_service: 'backend',
      dst_namespace: 'default',
      dst_address: '10.0.3.17:20000',
      src_address: '10.0.2.9:51234',
      mtls: 'mtls',
      mtls_basis: 'sni',
      duration_ms: 4,
    });
  });

  it('L3: an L7 intention denial names the RBAC policy', () => {
    expect(recordOf(consul, lines[2])).toMatchObject({
      direction: 'inbound',
      status: 403,
      method: 'DELETE',
      authz: 'deny',
      authz_policy: 'consul-intentions-layer7-0',
    });
  });

  it('L4: peered upstream (.external.), UF,URX', () => {
    expect(recordOf(consul, lines[3])).toMatchObject({
      direction: 'outbound',
      dst_service: 'payments',
      dst_namespace: 'finance',
      status: 503,
      response_flags: ['UF', 'URX'],
      bytes_in: 311,
      authz: 'unknown',
    });
  });

  it('L5: listener log without a cluster: direction unknown, and auto-detection cannot call it Consul', () => {
    expect(recordOf(consul, lines[4])).toMatchObject({
      mesh: 'consul',
      direction: 'unknown',
      status: 404,
      response_flags: ['NR'],
    });
    expect(detectProfile(lines[4])?.name).toBe('envoy-json');
  });

  it('L6: the Consul SPIFFE id of the caller proves mTLS and names its namespace', () => {
    expect(recordOf(consul, lines[5])).toMatchObject({
      direction: 'inbound',
      src_identity: 'spiffe://7c2d9b0e-1f3a-4e5b-8c6d-9e0f1a2b3c4d.consul/ns/default/dc/dc1/svc/web',
      src_namespace: 'default',
      dst_service: 'inventory',
      mtls: 'mtls',
      mtls_basis: 'peer-identity',
    });
  });

  it('auto-detection tells Consul lines from Istio JSON by their cluster and SNI names', () => {
    expect(lines.slice(0, 4).map((l) => detectProfile(l)?.name)).toEqual(['consul', 'consul', 'consul', 'consul']);
    expect(detectProfile(lines[5])?.name).toBe('consul');
  });
});
