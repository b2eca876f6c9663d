/** @jest-environment node */
import { kumaHttp } from './kuma-http';
import { kumaTcp } from './kuma-tcp';
import { parseKumaService } from './kuma-record';
import { POD_CONTEXT, errorOf, recordOf } from '../../../test/support/profiles';
import { fixtureLines } from '../../../test/support/fixtures';

const [tcpLine, httpLine] = fixtureLines('kuma.log');

describe('kuma-tcp (kuma.log L1)', () => {
  it('inbound to redis: source service "unknown", destination from the service tag, bytes by direction', () => {
    expect(recordOf(kumaTcp, tcpLine, POD_CONTEXT)).toEqual({
      timestamp: '2025-06-26T21:29:21.535Z',
      mesh: 'kuma',
      format: 'kuma-tcp',
      direction: 'inbound',
      src_workload: null,
      src_namespace: null,
      src_identity: null,
      src_address: '10.42.1.5',
      dst_service: 'redis',
      dst_namespace: 'kuma-demo',
      dst_workload: 'orders',
      dst_identity: null,
      dst_address: '10.42.1.5:6379',
      dst_port: 6379,
      protocol: 'TCP',
      method: null,
      path: null,
      status: null,
      response_flags: [],
      duration_ms: 14004,
      bytes_in: 194,
      bytes_out: 6195,
      mtls: 'unknown',
      mtls_basis: 'none',
      authz: 'unknown',
      authz_policy: null,
      request_id: null,
      trace_id: null,
    });
  });

  it('outbound when the source service is known', () => {
    const outbound = tcpLine.replace('(unknown)', '(web_kuma-demo_svc_5000)');
    expect(recordOf(kumaTcp, outbound, POD_CONTEXT)).toMatchObject({
      direction: 'outbound',
      src_workload: 'web',
      src_namespace: 'kuma-demo',
      dst_workload: null,
    });
  });

  it('non-numeric byte count is an error', () => {
    expect(errorOf(kumaTcp, tcpLine.replace('sent 6195 bytes', 'sent lots bytes'))).toBe(
      'kuma-tcp: field bytes_sent: expected a number, got "lots"'
    );
  });
});

describe('kuma-http (kuma.log L2)', () => {
  it('gateway NR: inbound, destination edge-gateway in kuma-demo, no upstream host', () => {
    expect(recordOf(kumaHttp, httpLine)).toMatchObject({
      timestamp: '2025-06-26T13:19:18.314Z',
      mesh: 'kuma',
      format: 'kuma-http',
      direction: 'inbound',
      method: 'GET',
      path: '/api?timeout=32s',
      protocol: 'HTTP/1.1',
      status: 404,
      response_flags: ['NR'],
      dst_service: 'edge-gateway',
      dst_namespace: 'kuma-demo',
      dst_port: null,
      dst_address: null,
      src_address: '10.42.3.27',
      request_id: '0efbfa26-1e2d-9144-919a-e9985d0eab30',
      trace_id: null,
      authz: 'unknown',
      mtls: 'unknown',
    });
  });

  it('is not confused with the TCP form', () => {
    expect(kumaHttp.detect(tcpLine)).toBe(false);
    expect(kumaTcp.detect(httpLine)).toBe(false);
  });
});

describe('parseKumaService', () => {
  it('reads Kubernetes service tags and keeps universal-mode tags whole', () => {
    expect(parseKumaService('redis_kuma-demo_svc_6379')).toEqual({
      service: 'redis',
      namespace: 'kuma-demo',
      port: 6379,
    });
    expect(parseKumaService('edge-gateway_kuma-demo_svc')).toEqual({
      service: 'edge-gateway',
      namespace: 'kuma-demo',
      port: null,
    });
    expect(parseKumaService('backend')).toEqual({ service: 'backend', namespace: null, port: null });
    expect(parseKumaService('unknown')).toBeNull();
  });
});
