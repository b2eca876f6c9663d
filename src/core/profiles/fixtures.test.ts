/** @jest-environment node */
/**
 * Every line of every mesh-log fixture, normalised with auto-detection, against the facts its
 * source implies (see each .source.txt and the per-profile tests for the reasoning on each line).
 * A fixture line added without a row here fails the test.
 */
import { normalizeLine } from './index';
import { fixtureLines, meshLogFiles } from '../../../test/support/fixtures';

const COLUMNS = [
  'format',
  'direction',
  'dst_service',
  'dst_namespace',
  'dst_port',
  'status',
  'response_flags',
  'mtls',
  'mtls_basis',
  'authz',
  'authz_policy',
  'src_identity',
  'src_namespace',
  'duration_ms',
  'bytes_in',
  'bytes_out',
] as const;

type Row = Array<string | number | null>;

// One row per line, in COLUMNS order.
// prettier-ignore
const EXPECTED: Record<string, Row[]> = {
  'consul.log': [
    ['consul','outbound','backend','default',20000,200,null,'unknown','none','allow',null,null,null,7,0,512],
    ['consul','inbound','backend','default',20000,200,null,'mtls','sni','allow',null,null,null,4,0,512],
    ['consul','inbound','backend','default',20000,403,null,'mtls','sni','deny','consul-intentions-layer7-0',null,null,0,0,19],
    ['consul','outbound','payments','finance',8443,503,'UF,URX','unknown','none','unknown',null,null,null,1002,311,91],
    ['envoy-json','unknown',null,null,null,404,'NR','unknown','none','unknown',null,null,null,0,0,0],
    ['consul','inbound','inventory','default',20000,200,null,'mtls','peer-identity','allow',null,'spiffe://7c2d9b0e-1f3a-4e5b-8c6d-9e0f1a2b3c4d.consul/ns/default/dc/dc1/svc/web','default',3,0,88],
  ],
  'envoy-json.log': [
    ['envoy-json','unknown',null,null,3000,200,null,'unknown','none','allow',null,null,null,3,0,412],
    ['envoy-json','unknown',null,null,null,403,'UAEX','unknown','none','deny',null,null,null,9,0,0],
  ],
  'envoy-text.log': [
    ['envoy-text','unknown',null,null,8000,200,null,'unknown','none','allow',null,null,null,107,0,11187],
    ['envoy-text','unknown',null,null,null,200,null,'unknown','none','unknown',null,null,null,1,0,27805],
    ['envoy-text','unknown',null,null,8081,200,null,'unknown','none','allow',null,null,null,6,0,463],
  ],
  'hubble-json-constructed.log': [
    ['hubble-json','outbound','cart','shop',8080,200,null,'unknown','none','allow',null,'31244','shop',2.45,null,null],
    ['hubble-json','inbound','cart','shop',8080,null,null,'unknown','none','deny','shop/cart-allow-shop-only','51999','legacy',null,null,null],
  ],
  'hubble-json.log': [
    ['hubble-json','unknown',null,null,null,null,null,'unknown','none','unknown',null,null,null,null,null,null],
    ['hubble-json','unknown',null,'default',80,null,null,'unknown','none','deny',null,null,'default',null,null,null],
    ['hubble-json','unknown',null,null,8080,null,null,'unknown','none','deny',null,'4',null,null,null,null],
    ['hubble-json','unknown',null,null,8080,null,null,'unknown','none','deny',null,'4',null,null,null,null],
  ],
  'istio-json-constructed.log': [
    ['istio-json','inbound','cart','shop',8080,200,null,'mtls','peer-identity','allow',null,'spiffe://cluster.local/ns/shop/sa/frontend','shop',5,0,734],
    ['istio-json','outbound','payments-api','payments',8443,201,null,'mtls','peer-identity','allow',null,null,null,31,211,64],
    ['istio-json','inbound',null,null,80,200,null,'plaintext','peer-identity','allow',null,null,null,2,0,612],
  ],
  'istio-json.log': [
    ['istio-json','outbound','frontend','online-boutique',80,404,null,'unknown','none','unknown',null,null,null,1,0,19],
    ['istio-json','outbound','mock-server','default',8080,200,null,'unknown','none','allow',null,null,null,10,0,59],
    ['istio-json','inbound','mock-server','default',8080,200,null,'mtls','sni','allow',null,null,null,4,0,59],
    ['istio-json','outbound','mock-server','default',8080,503,null,'unknown','none','unknown',null,null,null,56,0,76],
    ['istio-json','outbound','mock-server','default',8080,0,'DC','unknown','none','unknown',null,null,null,2966,0,0],
  ],
  'istio-text-constructed.log': [
    ['istio-text','outbound','productpage','default',9080,200,null,'unknown','none','allow',null,null,null,40,0,5183],
    ['istio-text','inbound','postgres','data',5432,null,null,'mtls','sni','unknown',null,null,null,10021,1582,3710],
    ['istio-text','inbound',null,null,8080,200,null,'plaintext','sni','allow',null,null,null,1,0,2],
    ['istio-text','outbound','payments','billing',8080,503,'UF,URX','unknown','none','unknown',null,null,null,12,128,91],
    ['istio-text','inbound','cart','shop',8080,403,null,'mtls','sni','deny','ns[shop]-policy[deny-admin]-rule[0]',null,null,0,0,19],
  ],
  'istio-text-legacy.log': [
    ['istio-text','outbound','httpbin','default',8000,418,null,'unknown','none','unknown',null,null,null,11,0,135],
    ['istio-text','inbound','httpbin','default',8000,418,null,'mtls','sni','unknown',null,null,null,5,0,135],
  ],
  'istio-text.log': [
    ['istio-text','outbound','httpbin','foo',8000,418,null,'unknown','none','unknown',null,null,null,4,0,135],
    ['istio-text','inbound','httpbin','foo',8000,418,null,'mtls','sni','unknown',null,null,null,3,0,135],
    ['istio-text','outbound','keycloak','auth',80,0,null,'unknown','none','unknown',null,null,null,0,0,0],
    ['istio-text','outbound','centraldashboard','kubeflow',80,302,'UAEX','unknown','none','deny',null,null,null,16,0,387],
    ['istio-text','unknown',null,null,null,404,'NR','unknown','none','unknown',null,null,null,0,0,0],
    ['istio-text','inbound','blue-green-canary','vm-blue-green-canary',8080,403,null,'mtls','sni','deny','none',null,null,0,0,19],
    ['istio-text','inbound','nginx-svc','default',80,403,null,'mtls','sni','deny','none',null,null,0,0,19],
  ],
  'kuma.log': [
    ['kuma-tcp','inbound','redis','kuma-demo',6379,null,null,'unknown','none','unknown',null,null,null,14004,194,6195],
    ['kuma-http','inbound','edge-gateway','kuma-demo',null,404,'NR','unknown','none','unknown',null,null,null,0,0,0],
  ],
  'linkerd-apache.log': [
    ['linkerd-apache','inbound','webapp',null,7000,200,null,'mtls','peer-identity','allow',null,'traffic.booksapp.serviceaccount.identity.linkerd.cluster.local','booksapp',null,null,null],
    ['linkerd-apache','inbound','webapp',null,7000,303,null,'mtls','peer-identity','allow',null,'traffic.booksapp.serviceaccount.identity.linkerd.cluster.local','booksapp',null,null,null],
    ['linkerd-apache','inbound','webapp',null,7000,200,null,'mtls','peer-identity','allow',null,'traffic.booksapp.serviceaccount.identity.linkerd.cluster.local','booksapp',null,null,null],
    ['linkerd-apache','inbound','webapp',null,7000,303,null,'mtls','peer-identity','allow',null,'traffic.booksapp.serviceaccount.identity.linkerd.cluster.local','booksapp',null,null,null],
    ['linkerd-apache','inbound',null,null,null,200,null,'plaintext','peer-identity','allow',null,null,null,null,null,null],
  ],
  'linkerd-json.log': [
    ['linkerd-json','inbound','webapp',null,7000,200,null,'mtls','peer-identity','allow',null,'traffic.booksapp.serviceaccount.identity.linkerd.cluster.local','booksapp',14.441135,null,19627],
    ['linkerd-json','inbound','webapp',null,7000,303,null,'mtls','peer-identity','allow',null,'traffic.booksapp.serviceaccount.identity.linkerd.cluster.local','booksapp',14.122403,33,0],
    ['linkerd-json','inbound','webapp',null,7000,200,null,'mtls','peer-identity','allow',null,'traffic.booksapp.serviceaccount.identity.linkerd.cluster.local','booksapp',6.998222,null,2350],
    ['linkerd-json','inbound','webapp',null,7000,303,null,'mtls','peer-identity','allow',null,'traffic.booksapp.serviceaccount.identity.linkerd.cluster.local','booksapp',9.274163,46,0],
    ['linkerd-json','inbound',null,null,7000,200,null,'plaintext','peer-identity','allow',null,null,null,1.416066,null,4],
  ],
};

describe('every fixture line normalises to the facts its source implies', () => {
  it('covers every access-log fixture file (linkerd-tap.log is not one: see linkerd.test.ts)', () => {
    const files = meshLogFiles().filter((f) => f !== 'linkerd-tap.log');
    expect(Object.keys(EXPECTED).sort()).toEqual(files.sort());
  });

  it.each(Object.entries(EXPECTED))('%s', (file, rows) => {
    const lines = fixtureLines(file);
    expect(rows).toHaveLength(lines.length);
    lines.forEach((line, i) => {
      const result = normalizeLine(line);
      if (!result.ok) {
        throw new Error(`${file}:${i + 1}: ${result.error}`);
      }
      const r = result.record;
      const actual: Row = COLUMNS.map((c) => (c === 'response_flags' ? r.response_flags.join(',') || null : r[c]));
      const named = (row: Row) => Object.fromEntries(COLUMNS.map((c, k) => [c, row[k]]));
      expect({ line: i + 1, ...named(actual) }).toEqual({ line: i + 1, ...named(rows[i]) });
    });
  });
});
