/** @jest-environment node */
import { istioText } from './istio-text';
import { POD_CONTEXT, errorOf, recordOf } from '../../../test/support/profiles';
import { fixtureLines } from '../../../test/support/fixtures';

const current = fixtureLines('istio-text.log');
const legacy = fixtureLines('istio-text-legacy.log');
const constructed = fixtureLines('istio-text-constructed.log');

describe('istio-text: Istio >= 1.9 lines (istio-text.log)', () => {
  it('L1: sleep → httpbin, client side: outbound to httpbin.foo, no TLS evidence', () => {
    expect(recordOf(istioText, current[0])).toEqual({
      timestamp: '2020-11-25T21:26:18.409Z',
      mesh: 'istio',
      format: 'istio-text',
      direction: 'outbound',
      src_workload: null,
      src_namespace: null,
      src_identity: null,
      src_address: '10.44.1.23:46520',
      dst_service: 'httpbin',
      dst_namespace: 'foo',
      dst_workload: null,
      dst_identity: null,
      dst_address: '10.44.1.27:80',
      dst_port: 8000,
      protocol: 'HTTP/1.1',
      method: 'GET',
      path: '/status/418',
      status: 418,
      response_flags: [],
      duration_ms: 4,
      bytes_in: 0,
      bytes_out: 135,
      mtls: 'unknown',
      mtls_basis: 'none',
      authz: 'unknown',
      authz_policy: null,
      request_id: '84961386-6d84-929d-98bd-c5aee93b5c88',
      trace_id: null,
    });
  });

  it('L2: the same request on the httpbin side: inbound, service from SNI, mTLS by SNI', () => {
    expect(recordOf(istioText, current[1])).toMatchObject({
      direction: 'inbound',
      dst_service: 'httpbin',
      dst_namespace: 'foo',
      dst_address: '10.44.1.27:80',
      dst_port: 8000,
      src_address: '10.44.1.23:37652',
      status: 418,
      duration_ms: 3,
      mtls: 'mtls',
      mtls_basis: 'sni',
      request_id: '84961386-6d84-929d-98bd-c5aee93b5c88',
    });
  });

  it('L3: gateway line without the trailing route name, HTTP/2 reset with code 0', () => {
    expect(recordOf(istioText, current[2])).toMatchObject({
      timestamp: '2024-06-02T13:24:57.930Z',
      direction: 'outbound',
      dst_service: 'keycloak',
      dst_namespace: 'auth',
      dst_port: 80,
      protocol: 'HTTP/2',
      status: 0,
      response_flags: [],
      mtls: 'unknown',
      mtls_basis: 'none',
      authz: 'unknown',
    });
  });

  it('L4: UAEX / ext_authz_denied is a denial even with a 302', () => {
    expect(recordOf(istioText, current[3])).toMatchObject({
      status: 302,
      response_flags: ['UAEX'],
      authz: 'deny',
      authz_policy: null,
      dst_service: 'centraldashboard',
      dst_namespace: 'kubeflow',
      dst_address: null,
    });
  });

  it('L5: NR with no cluster: direction unknown, trailing space tolerated', () => {
    expect(current[4].endsWith(' ')).toBe(true);
    expect(recordOf(istioText, current[4])).toMatchObject({
      direction: 'unknown',
      status: 404,
      response_flags: ['NR'],
      dst_service: null,
      dst_namespace: null,
      mtls: 'unknown',
      authz: 'unknown',
    });
  });

  it('L6/L7: RBAC denial with no ALLOW match keeps policy "none"; subset SNI names the service', () => {
    expect(recordOf(istioText, current[5])).toMatchObject({
      direction: 'inbound',
      status: 403,
      authz: 'deny',
      authz_policy: 'none',
      dst_service: 'blue-green-canary',
      dst_namespace: 'vm-blue-green-canary',
      dst_port: 8080,
      mtls: 'mtls',
      mtls_basis: 'sni',
    });
    expect(recordOf(istioText, current[6])).toMatchObject({
      direction: 'inbound',
      authz: 'deny',
      authz_policy: 'none',
      dst_service: 'nginx-svc',
      dst_namespace: 'default',
      dst_port: 80,
    });
  });
});

describe('istio-text: older layouts', () => {
  it('1.1-1.2 outbound (istio-text-legacy.log L1)', () => {
    expect(recordOf(istioText, legacy[0])).toMatchObject({
      timestamp: '2019-03-06T09:31:27.354Z',
      direction: 'outbound',
      dst_service: 'httpbin',
      dst_namespace: 'default',
      dst_port: 8000,
      dst_address: '172.30.146.73:80',
      status: 418,
      duration_ms: 11,
      bytes_out: 135,
      mtls: 'unknown',
    });
  });

  it('1.1-1.2 inbound with the old inbound|8000|http|<fqdn> cluster (L2)', () => {
    expect(recordOf(istioText, legacy[1])).toMatchObject({
      direction: 'inbound',
      dst_service: 'httpbin',
      dst_namespace: 'default',
      dst_address: '172.30.146.73:80',
      mtls: 'mtls',
      mtls_basis: 'sni',
      duration_ms: 5,
    });
  });

  it('1.3-1.8 layout (constructed L1) with the route name; 2xx without details → allow via upstream host', () => {
    expect(recordOf(istioText, constructed[0])).toMatchObject({
      timestamp: '2020-03-18T12:00:01.123Z',
      direction: 'outbound',
      dst_service: 'productpage',
      dst_namespace: 'default',
      status: 200,
      bytes_out: 5183,
      duration_ms: 40,
      authz: 'allow',
    });
  });
});

describe('istio-text: constructed cases', () => {
  it('TCP connection: protocol TCP, no HTTP status, bytes both ways', () => {
    expect(recordOf(istioText, constructed[1])).toMatchObject({
      direction: 'inbound',
      protocol: 'TCP',
      method: null,
      path: null,
      status: null,
      bytes_in: 1582,
      bytes_out: 3710,
      duration_ms: 10021,
      dst_service: 'postgres',
      dst_namespace: 'data',
      dst_port: 5432,
      mtls: 'mtls',
      mtls_basis: 'sni',
    });
  });

  it('inbound probe with no SNI is plaintext by the SNI heuristic', () => {
    expect(recordOf(istioText, constructed[2])).toMatchObject({
      direction: 'inbound',
      mtls: 'plaintext',
      mtls_basis: 'sni',
      authz: 'allow',
      dst_service: null,
    });
  });

  it('UF,URX flags are split; a TLS failure reason with spaces stays inside its quotes', () => {
    expect(recordOf(istioText, constructed[3])).toMatchObject({
      status: 503,
      response_flags: ['UF', 'URX'],
      dst_service: 'payments',
      dst_namespace: 'billing',
      bytes_in: 128,
      authz: 'unknown',
    });
  });

  it('a named DENY policy is reported verbatim', () => {
    expect(recordOf(istioText, constructed[4])).toMatchObject({
      authz: 'deny',
      authz_policy: 'ns[shop]-policy[deny-admin]-rule[0]',
    });
  });
});

describe('istio-text: stream labels fill the proxy side only', () => {
  it('outbound: the caller is the labelled pod', () => {
    expect(recordOf(istioText, current[0], POD_CONTEXT)).toMatchObject({
      src_workload: 'orders',
      src_namespace: 'team-a',
      dst_workload: null,
      dst_namespace: 'foo',
    });
  });

  it('inbound: the callee is the labelled pod; the line still wins for dst_namespace', () => {
    expect(recordOf(istioText, current[1], POD_CONTEXT)).toMatchObject({
      src_workload: null,
      src_namespace: null,
      dst_workload: 'orders',
      dst_namespace: 'foo',
    });
  });

  it('unknown direction: nothing filled', () => {
    expect(recordOf(istioText, current[4], POD_CONTEXT)).toMatchObject({ src_workload: null, dst_workload: null });
  });
});

describe('istio-text: bad lines get clear errors', () => {
  it('too few fields', () => {
    expect(errorOf(istioText, '[2020-11-25T21:26:18.409Z] "GET / HTTP/1.1" 200 - via_upstream')).toMatch(
      /^istio-text: Istio >= 1\.9 text format: expected 20-21 fields after the timestamp, found 4$/
    );
  });

  it('unterminated quote', () => {
    expect(errorOf(istioText, '[2020-11-25T21:26:18.409Z] "GET / HTTP/1.1')).toMatch(/unterminated quoted field/);
  });

  it('impossible timestamp', () => {
    const bad = current[0].replace('2020-11-25T21', '2020-13-25T21');
    expect(errorOf(istioText, bad)).toMatch(/field start_time: not an RFC 3339 timestamp/);
  });

  it('non-numeric response code', () => {
    const bad = current[0].replace('" 418 -', '" abc -');
    expect(errorOf(istioText, bad)).toMatch(/field response_code: expected a number, got "abc"/);
  });

  it('plain Envoy default lines are not Istio lines', () => {
    expect(istioText.detect(fixtureLines('envoy-text.log')[0])).toBe(false);
  });
});
