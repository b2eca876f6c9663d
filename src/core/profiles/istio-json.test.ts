/** @jest-environment node */
import { istioJson } from './istio-json';
import { POD_CONTEXT, errorOf, recordOf } from '../../../test/support/profiles';
import { fixtureLines } from '../../../test/support/fixtures';

const real = fixtureLines('istio-json.log');
const constructed = fixtureLines('istio-json-constructed.log');

describe('istio-json: real lines (istio-json.log)', () => {
  it('L1: typed values with nulls (gateway, outbound to frontend)', () => {
    expect(recordOf(istioJson, real[0])).toEqual({
      timestamp: '2021-09-12T05:44:48.369Z',
      mesh: 'istio',
      format: 'istio-json',
      direction: 'outbound',
      src_workload: null,
      src_namespace: null,
      src_identity: null,
      src_address: '172.17.0.1:35535',
      dst_service: 'frontend',
      dst_namespace: 'online-boutique',
      dst_workload: null,
      dst_identity: null,
      dst_address: '172.17.0.16:8080',
      dst_port: 80,
      protocol: 'HTTP/1.1',
      method: 'GET',
      path: '/abc',
      status: 404,
      response_flags: [],
      duration_ms: 1,
      bytes_in: 0,
      bytes_out: 19,
      mtls: 'unknown',
      mtls_basis: 'none',
      authz: 'unknown',
      authz_policy: null,
      request_id: '4ba825ec-7955-9e3d-9dc7-942c38c517f0',
      trace_id: null,
    });
  });

  it('L2: string values with "-": client side 200 → allow, no TLS evidence', () => {
    expect(recordOf(istioJson, real[1])).toMatchObject({
      direction: 'outbound',
      dst_service: 'mock-server',
      dst_namespace: 'default',
      dst_port: 8080,
      status: 200,
      duration_ms: 10,
      bytes_in: 0,
      bytes_out: 59,
      response_flags: [],
      mtls: 'unknown',
      mtls_basis: 'none',
      authz: 'allow',
      request_id: '0432d33a-0ffb-94fc-98fc-b9b322d5eaa3',
    });
  });

  it('L3: server side of the same request: inbound, SNI names the service, mTLS by SNI', () => {
    expect(recordOf(istioJson, real[2])).toMatchObject({
      direction: 'inbound',
      dst_service: 'mock-server',
      dst_namespace: 'default',
      dst_address: '10.244.1.4:8080',
      src_address: '10.244.2.3:45178',
      mtls: 'mtls',
      mtls_basis: 'sni',
      authz: 'allow',
      duration_ms: 4,
      request_id: '0432d33a-0ffb-94fc-98fc-b9b322d5eaa3',
    });
  });

  it('L4: 503 from the upstream is not an authz decision', () => {
    expect(recordOf(istioJson, real[3])).toMatchObject({
      status: 503,
      authz: 'unknown',
      response_flags: [],
      duration_ms: 56,
    });
  });

  it('L5: downstream disconnect: code 0 kept, DC flag', () => {
    expect(recordOf(istioJson, real[4])).toMatchObject({
      status: 0,
      response_flags: ['DC'],
      duration_ms: 2966,
      bytes_out: 0,
    });
  });
});

describe('istio-json: peer SANs (constructed)', () => {
  it('inbound with the caller SPIFFE id: mTLS proven, identity and namespace of the caller', () => {
    expect(recordOf(istioJson, constructed[0], POD_CONTEXT)).toMatchObject({
      direction: 'inbound',
      src_identity: 'spiffe://cluster.local/ns/shop/sa/frontend',
      src_namespace: 'shop',
      dst_service: 'cart',
      dst_namespace: 'shop',
      dst_workload: 'orders',
      mtls: 'mtls',
      mtls_basis: 'peer-identity',
      authz: 'allow',
    });
  });

  it('outbound with the upstream SPIFFE id, keys in another order, subset in the cluster', () => {
    expect(recordOf(istioJson, constructed[1], POD_CONTEXT)).toMatchObject({
      direction: 'outbound',
      dst_identity: 'spiffe://cluster.local/ns/payments/sa/payments-api',
      dst_service: 'payments-api',
      dst_namespace: 'payments',
      dst_port: 8443,
      src_workload: 'orders',
      src_namespace: 'team-a',
      status: 201,
      mtls: 'mtls',
      mtls_basis: 'peer-identity',
    });
  });

  it('inbound with the SAN operator configured but empty: plaintext proven (beats the missing SNI)', () => {
    expect(recordOf(istioJson, constructed[2])).toMatchObject({
      direction: 'inbound',
      src_identity: null,
      mtls: 'plaintext',
      mtls_basis: 'peer-identity',
    });
  });
});

describe('istio-json: hosted-mesh extra keys', () => {
  it('pod_name/pod_namespace (Huawei UCS) name the logging pod when no stream labels do', () => {
    const line = real[1].replace(
      '{',
      '{"pod_name":"checkout-6c9f8d7b5c-2xk4p","pod_namespace":"shop","cluster_id":"c1",'
    );
    expect(recordOf(istioJson, line)).toMatchObject({
      direction: 'outbound',
      src_workload: 'checkout',
      src_namespace: 'shop',
    });
    expect(recordOf(istioJson, line, POD_CONTEXT)).toMatchObject({ src_workload: 'orders', src_namespace: 'team-a' });
  });
});

describe('istio-json: bad input', () => {
  it('not JSON', () => {
    expect(errorOf(istioJson, '{"start_time":')).toMatch(/^istio-json: not valid JSON/);
  });
  it('a JSON array', () => {
    expect(errorOf(istioJson, '[1,2]')).toBe('istio-json: expected a JSON object, got an array');
  });
  it('an object without Envoy keys', () => {
    expect(errorOf(istioJson, '{"hello":"world"}')).toMatch(/no Envoy access-log keys/);
  });
  it('a wrongly typed value names the field', () => {
    const bad = real[0].replace('"response_code":404', '"response_code":{"x":1}');
    expect(errorOf(istioJson, bad)).toBe('istio-json: field response_code: expected a number, got an object');
  });
  it('a boolean where a string belongs', () => {
    const bad = real[0].replace('"method":"GET"', '"method":true');
    expect(errorOf(istioJson, bad)).toBe('istio-json: field method: expected a string, got true');
  });
});
