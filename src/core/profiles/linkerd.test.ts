/** @jest-environment node */
import { linkerdApache } from './linkerd-apache';
import { linkerdJson } from './linkerd-json';
import { detectProfile, normalizeLine } from './index';
import { POD_CONTEXT, errorOf, recordOf } from '../../../test/support/profiles';
import { fixtureLines } from '../../../test/support/fixtures';

const json = fixtureLines('linkerd-json.log');
const apache = fixtureLines('linkerd-apache.log');
const tap = fixtureLines('linkerd-tap.log');

const TRAFFIC = 'traffic.booksapp.serviceaccount.identity.linkerd.cluster.local';

describe('linkerd-json (linkerd-json.log)', () => {
  it('L1: meshed caller: inbound, caller workload (service account), identity and namespace from client.id, mTLS proven', () => {
    expect(recordOf(linkerdJson, json[0], POD_CONTEXT)).toEqual({
      timestamp: '2022-08-23T20:33:42.321746212Z',
      mesh: 'linkerd',
      format: 'linkerd-json',
      direction: 'inbound',
      src_workload: 'traffic',
      src_namespace: 'booksapp',
      src_identity: TRAFFIC,
      src_address: '10.42.0.70:32996',
      dst_service: 'webapp',
      dst_namespace: 'team-a',
      dst_workload: 'orders',
      dst_identity: null,
      dst_address: null,
      dst_port: 7000,
      protocol: 'HTTP/2.0',
      method: 'GET',
      path: '/',
      status: 200,
      response_flags: [],
      duration_ms: 14.441135,
      bytes_in: null,
      bytes_out: 19627,
      mtls: 'mtls',
      mtls_basis: 'peer-identity',
      authz: 'allow',
      authz_policy: null,
      request_id: null,
      trace_id: null,
    });
  });

  it('L2-L4: POSTs with request bytes, absolute URIs reduced to paths', () => {
    expect(recordOf(linkerdJson, json[1])).toMatchObject({
      method: 'POST',
      path: '/authors',
      status: 303,
      bytes_in: 33,
      bytes_out: 0,
      authz: 'allow',
    });
    expect(recordOf(linkerdJson, json[2])).toMatchObject({
      path: '/authors/105',
      duration_ms: 6.998222,
      bytes_out: 2350,
    });
    expect(recordOf(linkerdJson, json[3])).toMatchObject({ path: '/books', bytes_in: 46 });
  });

  it('L5: kubelet probe with client.id "-": plaintext by peer identity, host is an IP', () => {
    expect(recordOf(linkerdJson, json[4])).toMatchObject({
      src_identity: null,
      src_namespace: null,
      mtls: 'plaintext',
      mtls_basis: 'peer-identity',
      dst_service: null,
      dst_address: '10.42.0.69:7000',
      dst_port: 7000,
      protocol: 'HTTP/1.1',
      path: '/ping',
    });
  });

  it('status as a string is an error, not a guess', () => {
    expect(errorOf(linkerdJson, json[0].replace('"status":200', '"status":"OK"'))).toBe(
      'linkerd-json: field status: expected a number, got "OK"'
    );
  });
});

describe('linkerd-apache (linkerd-apache.log)', () => {
  it('L1: the same facts as the JSON form', () => {
    expect(recordOf(linkerdApache, apache[0])).toMatchObject({
      timestamp: '2022-08-23T20:28:20.071809491Z',
      direction: 'inbound',
      src_identity: TRAFFIC,
      src_namespace: 'booksapp',
      src_address: '10.42.0.63:51160',
      dst_service: 'webapp',
      dst_port: 7000,
      method: 'GET',
      path: '/',
      protocol: 'HTTP/2.0',
      status: 200,
      duration_ms: null,
      mtls: 'mtls',
      mtls_basis: 'peer-identity',
      authz: 'allow',
    });
  });

  it('L2/L4: 303 redirects are allowed requests', () => {
    expect(recordOf(linkerdApache, apache[1])).toMatchObject({
      method: 'POST',
      path: '/authors',
      status: 303,
      authz: 'allow',
    });
    expect(recordOf(linkerdApache, apache[3])).toMatchObject({ path: '/books', status: 303 });
  });

  it('L5: unmeshed probe, origin-form URI: no service, plaintext', () => {
    expect(recordOf(linkerdApache, apache[4])).toMatchObject({
      src_identity: null,
      dst_service: null,
      path: '/ping',
      mtls: 'plaintext',
      mtls_basis: 'peer-identity',
    });
  });

  it('rejects a line that is not the Apache shape', () => {
    expect(errorOf(linkerdApache, 'GET / 200')).toMatch(/^linkerd-apache: expected `<client.addr>/);
  });
});

describe('linkerd viz tap output (linkerd-tap.log) is not an access log', () => {
  it.each(tap.map((line, i) => [i + 1, line]))('L%i is rejected with a clear error', (_n, line) => {
    expect(detectProfile(line)).toBeUndefined();
    const result = normalizeLine(line);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('`linkerd viz tap` output') });
  });
});
