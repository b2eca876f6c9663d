/** @jest-environment node */
import {
  LineError,
  authorityOfUri,
  hostOf,
  isIpLiteral,
  numberValue,
  pathOfUri,
  portOf,
  textValue,
  utcTimestamp,
} from './values';
import { parseConsulName, parseIstioSni, parseUpstreamCluster, serviceFromHost } from './cluster';
import { parseLinkerdIdentity, parseSpiffe, workloadFromPod } from './identity';

describe('values', () => {
  it('textValue: "-", "" and null are unknown; numbers become text; objects are errors', () => {
    expect(textValue('-', 'f')).toBeNull();
    expect(textValue('', 'f')).toBeNull();
    expect(textValue(null, 'f')).toBeNull();
    expect(textValue(undefined, 'f')).toBeNull();
    expect(textValue('x', 'f')).toBe('x');
    expect(textValue(7, 'f')).toBe('7');
    expect(() => textValue({}, 'f')).toThrow(new LineError('field f: expected a string, got an object'));
  });

  it('numberValue: typed, decimal strings, and nothing looser', () => {
    expect(numberValue(12, 'n')).toBe(12);
    expect(numberValue('12', 'n')).toBe(12);
    expect(numberValue('0.5', 'n')).toBe(0.5);
    expect(numberValue('-', 'n')).toBeNull();
    expect(numberValue('', 'n')).toBeNull();
    for (const bad of ['1e3', '0x10', ' 1', '-1', '1.2.3', '.', 'NaN', true]) {
      expect(() => numberValue(bad, 'n')).toThrow(LineError);
    }
  });

  it('utcTimestamp keeps the printed precision and converts offsets to UTC', () => {
    expect(utcTimestamp('2022-08-23T20:33:42.321746212Z', 't')).toBe('2022-08-23T20:33:42.321746212Z');
    expect(utcTimestamp('2024-02-29T23:30:00.5+02:00', 't')).toBe('2024-02-29T21:30:00.5Z');
    expect(utcTimestamp('2024-03-01T00:30:00-01:30', 't')).toBe('2024-03-01T02:00:00Z');
    expect(utcTimestamp('2024-01-01t00:00:00z', 't')).toBe('2024-01-01T00:00:00Z');
    expect(utcTimestamp('-', 't')).toBeNull();
    for (const bad of [
      '2023-02-29T00:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T00:00:00',
      '2024-01-01T00:00:00.Z',
      '2024-01-01T00:00:00+25:00',
      'yesterday',
    ]) {
      expect(() => utcTimestamp(bad, 't')).toThrow(/field t: not an RFC 3339 timestamp/);
    }
  });

  it('addresses and URIs', () => {
    expect(portOf('10.0.0.1:8080')).toBe(8080);
    expect(portOf('[fe80::1]:443')).toBe(443);
    expect(portOf('fe80::1')).toBeNull();
    expect(portOf('host:99999')).toBeNull();
    expect(hostOf('[fe80::1]:443')).toBe('fe80::1');
    expect(hostOf('webapp:7000')).toBe('webapp');
    expect(isIpLiteral('10.42.0.69')).toBe(true);
    expect(isIpLiteral('webapp')).toBe(false);
    expect(pathOfUri('http://webapp:7000/authors?x=1')).toBe('/authors?x=1');
    expect(pathOfUri('http://webapp:7000')).toBe('/');
    expect(pathOfUri('/ping')).toBe('/ping');
    expect(authorityOfUri('http://webapp:7000/')).toBe('webapp:7000');
    expect(authorityOfUri('/ping')).toBeNull();
  });
});

describe('cluster and SNI naming', () => {
  it('Istio clusters', () => {
    expect(parseUpstreamCluster('outbound|9080|v2|reviews.default.svc.cluster.local')).toEqual({
      direction: 'outbound',
      port: 9080,
      service: 'reviews',
      namespace: 'default',
      scheme: 'istio',
    });
    expect(parseUpstreamCluster('inbound|8080||')).toMatchObject({ direction: 'inbound', port: 8080, service: null });
    expect(parseUpstreamCluster('outbound|443||api.example.com')).toMatchObject({
      service: 'api.example.com',
      namespace: null,
    });
    expect(parseUpstreamCluster('PassthroughCluster')).toMatchObject({ direction: 'outbound', service: null });
    expect(parseUpstreamCluster('InboundPassthroughClusterIpv4')).toMatchObject({ direction: 'inbound' });
    expect(parseUpstreamCluster('httproute/default/backend/rule/0')).toBeNull();
    expect(parseUpstreamCluster(null)).toBeNull();
  });

  it('Istio SNI', () => {
    expect(
      parseIstioSni('outbound_.8080_.version-canary_.blue-green-canary.vm-blue-green-canary.svc.cluster.local')
    ).toEqual({
      port: 8080,
      service: 'blue-green-canary',
      namespace: 'vm-blue-green-canary',
    });
    expect(parseIstioSni('auth.kubefrog.fr')).toBeNull();
    expect(parseIstioSni('outbound_.80_._')).toBeNull();
  });

  it('Consul names', () => {
    expect(parseConsulName('backend.default.dc1.internal.7c2d.consul')).toEqual({
      service: 'backend',
      namespace: 'default',
    });
    expect(parseConsulName('api.team.part1.dc1.internal-v1.7c2d.consul')).toEqual({
      service: 'api',
      namespace: 'team',
    });
    expect(parseConsulName('payments.finance.east.external.7c2d.consul')).toEqual({
      service: 'payments',
      namespace: 'finance',
    });
    expect(parseConsulName('web.service.consul')).toBeNull();
    expect(parseUpstreamCluster('local_app')).toMatchObject({ direction: 'inbound', scheme: 'consul' });
  });

  it('service hosts', () => {
    expect(serviceFromHost('reviews.default.svc.cluster.local')).toEqual({ service: 'reviews', namespace: 'default' });
    expect(serviceFromHost('reviews.default.svc')).toEqual({ service: 'reviews', namespace: 'default' });
    expect(serviceFromHost('webapp')).toEqual({ service: 'webapp', namespace: null });
  });
});

describe('identities', () => {
  it('SPIFFE ids: Istio/Kuma service accounts, Consul services', () => {
    expect(parseSpiffe('spiffe://cluster.local/ns/default/sa/bookinfo-productpage')).toEqual({
      trustDomain: 'cluster.local',
      namespace: 'default',
      serviceAccount: 'bookinfo-productpage',
      service: null,
    });
    expect(parseSpiffe('spiffe://abc.consul/ns/default/dc/dc1/svc/web')).toMatchObject({
      namespace: 'default',
      service: 'web',
    });
    expect(parseSpiffe('https://example.com')).toBeNull();
    expect(parseSpiffe('spiffe://')).toBeNull();
  });

  it('Linkerd identities', () => {
    expect(parseLinkerdIdentity('traffic.booksapp.serviceaccount.identity.linkerd.cluster.local')).toEqual({
      serviceAccount: 'traffic',
      namespace: 'booksapp',
    });
    expect(parseLinkerdIdentity('nonsense')).toBeNull();
  });

  it('workloads from pod names', () => {
    expect(workloadFromPod('deathstar-7848d6c4d5-th9v2')).toBe('deathstar');
    expect(workloadFromPod('xwing')).toBe('xwing');
    expect(workloadFromPod('web-0')).toBe('web-0');
  });
});
