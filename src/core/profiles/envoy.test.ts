/** @jest-environment node */
import { envoyJson } from './envoy-json';
import { envoyText } from './envoy-text';
import { POD_CONTEXT, errorOf, recordOf } from '../../../test/support/profiles';
import { fixtureLines } from '../../../test/support/fixtures';

const text = fixtureLines('envoy-text.log');
const json = fixtureLines('envoy-json.log');

describe('envoy-text (envoy-text.log)', () => {
  it('L1: multi-hop X-Forwarded-For stays inside its quotes; direction and service unknown', () => {
    expect(recordOf(envoyText, text[0])).toMatchObject({
      mesh: 'envoy',
      format: 'envoy-text',
      timestamp: '2018-07-13T15:56:58.312Z',
      direction: 'unknown',
      method: 'GET',
      path: '/v1/gifs/search?q=totalmete+s&api_key=FyzFCUcvrJXvG&limit=20&offset=0&rating=pg&lang=en&country_code=US',
      status: 200,
      bytes_in: 0,
      bytes_out: 11187,
      duration_ms: 107,
      dst_address: '127.0.0.1:8000',
      dst_port: 8000,
      dst_service: null,
      request_id: '820b432a-32c1-98d5-b5e2-310f824f940f',
      mtls: 'unknown',
      mtls_basis: 'none',
      authz: 'allow',
    });
  });

  it('L2: 200 with no upstream host is not claimed as allowed by the proxy', () => {
    expect(recordOf(envoyText, text[1])).toMatchObject({
      status: 200,
      dst_address: null,
      authz: 'unknown',
      duration_ms: 1,
    });
  });

  it('L3: Contour default line', () => {
    expect(recordOf(envoyText, text[2])).toMatchObject({
      path: '/foo',
      bytes_out: 463,
      duration_ms: 6,
      dst_address: '127.0.0.1:8081',
    });
  });

  it('stream labels do not fill anything when the direction is unknown', () => {
    expect(recordOf(envoyText, text[0], POD_CONTEXT)).toMatchObject({ src_workload: null, dst_workload: null });
  });

  it('rejects an Istio line with a layout error', () => {
    expect(errorOf(envoyText, fixtureLines('istio-text.log')[0])).toMatch(
      /^envoy-text: Envoy default text format: expected 12 fields/
    );
  });
});

describe('envoy-json (constructed Envoy Gateway lines, envoy-json.log)', () => {
  it('L1: header-named keys are read (path, request id)', () => {
    expect(recordOf(envoyJson, json[0])).toMatchObject({
      mesh: 'envoy',
      format: 'envoy-json',
      direction: 'unknown',
      path: '/get',
      request_id: '3f1a2b3c-4d5e-4f6a-8b7c-9d0e1f2a3b4c',
      status: 200,
      bytes_out: 412,
      dst_address: '10.244.0.12:3000',
      dst_service: null,
      authz: 'allow',
      mtls: 'unknown',
    });
  });

  it('L2: ext_authz denial', () => {
    expect(recordOf(envoyJson, json[1])).toMatchObject({
      status: 403,
      response_flags: ['UAEX'],
      authz: 'deny',
      dst_address: null,
    });
  });
});
