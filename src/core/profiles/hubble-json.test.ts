/** @jest-environment node */
import { hubbleJson } from './hubble-json';
import { POD_CONTEXT, errorOf, recordOf } from '../../../test/support/profiles';
import { fixtureLines } from '../../../test/support/fixtures';

const real = fixtureLines('hubble-json.log');
const constructed = fixtureLines('hubble-json-constructed.log');

describe('hubble-json: real vectors (hubble-json.log)', () => {
  it('L1: exporter envelope, ICMPv6 dropped for INVALID_SOURCE_IP: not an authz decision', () => {
    expect(recordOf(hubbleJson, real[0])).toMatchObject({
      mesh: 'cilium',
      format: 'hubble-json',
      timestamp: '2023-08-21T12:12:13.517394084Z',
      direction: 'unknown',
      protocol: 'ICMPv6',
      src_address: 'fe80::64d8:8aff:fe72:fc14',
      dst_address: 'ff02::2',
      dst_port: null,
      authz: 'unknown',
      mtls: 'unknown',
      mtls_basis: 'none',
    });
  });

  it('L2: POLICY_DENIED drop: deny; workloads from pod names', () => {
    expect(recordOf(hubbleJson, real[1])).toMatchObject({
      src_workload: 'xwing',
      src_namespace: 'default',
      src_address: '10.244.1.60:44916',
      dst_workload: 'deathstar',
      dst_namespace: 'default',
      dst_address: '10.244.1.5:80',
      dst_port: 80,
      protocol: 'TCP',
      authz: 'deny',
      authz_policy: null,
      status: null,
    });
  });

  it('L3 (jsonpb) and L4 (legacy bare flow) give the same record; drop event 133 is a policy deny', () => {
    const jsonpb = recordOf(hubbleJson, real[2]);
    expect(recordOf(hubbleJson, real[3])).toEqual(jsonpb);
    expect(jsonpb).toMatchObject({
      timestamp: '1970-01-01T00:20:34.567800Z',
      src_identity: '4',
      dst_identity: '12345',
      src_address: '1.1.1.1:31793',
      dst_address: '2.2.2.2:8080',
      authz: 'deny',
    });
  });
});

describe('hubble-json: constructed flows', () => {
  it('an L7 reply is folded onto the request edge (frontend → cart)', () => {
    expect(recordOf(hubbleJson, constructed[0], POD_CONTEXT)).toMatchObject({
      direction: 'outbound',
      src_workload: 'frontend',
      src_namespace: 'shop',
      src_identity: '31244',
      src_address: '10.0.1.23:51234',
      dst_workload: 'cart',
      dst_service: 'cart',
      dst_namespace: 'shop',
      dst_address: '10.0.2.45:8080',
      dst_port: 8080,
      method: 'GET',
      path: '/api/cart/42',
      status: 200,
      protocol: 'HTTP/1.1',
      duration_ms: 2.45,
      authz: 'allow',
      mtls: 'unknown',
    });
  });

  it('a policy drop at ingress names the denying policy', () => {
    expect(recordOf(hubbleJson, constructed[1])).toMatchObject({
      direction: 'inbound',
      src_workload: 'batch-job-x7k2p',
      src_namespace: 'legacy',
      dst_workload: 'cart',
      dst_service: 'cart',
      authz: 'deny',
      authz_policy: 'shop/cart-allow-shop-only',
    });
  });
});

describe('hubble-json: bad input', () => {
  it('a JSON object that is no flow', () => {
    expect(errorOf(hubbleJson, '{"hello":1}')).toBe(
      'hubble-json: not a Hubble flow: no "flow" envelope and no verdict/IP/l4 keys'
    );
  });
  it('a flow whose l4 is not an object', () => {
    expect(errorOf(hubbleJson, '{"flow":{"verdict":"FORWARDED","l4":"TCP"}}')).toBe(
      'hubble-json: field l4: expected an object'
    );
  });
});
