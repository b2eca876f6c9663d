/** @jest-environment node */
/**
 * The writer of a line (DESIGN.md): the stream's `namespace` and `service_name` fill the side of
 * the proxy that wrote the line, only where the line is silent, and never a guess.
 */
import { normalizeLine } from './index';
import { fillFromContext, writerFromLabels, blankRecord } from './record';
import { fixtureLines } from '../../../test/support/fixtures';

const WRITER = { namespace: 'shop', service_name: 'frontend' };

function record(direction: 'inbound' | 'outbound' | 'unknown') {
  const r = blankRecord('istio-json', 'istio');
  r.direction = direction;
  return r;
}

describe('writerFromLabels', () => {
  it("takes Loki's service_name first and ignores Loki's unknown_service", () => {
    expect(writerFromLabels({ namespace: 'shop', service_name: 'frontend', app: 'web' })).toEqual({ namespace: 'shop', workload: 'frontend' });
    expect(writerFromLabels({ namespace: 'shop', service_name: 'unknown_service', app: 'web' })).toEqual({ namespace: 'shop', workload: 'web' });
    expect(writerFromLabels({ service_name: 'unknown_service' })).toEqual({ namespace: null, workload: null });
  });

  it('falls back to the Deployment behind a pod name, and knows nothing without labels', () => {
    expect(writerFromLabels({ pod: 'checkout-7c9d5b8f4d-x2x7q' }).workload).toBe('checkout');
    expect(writerFromLabels(undefined)).toEqual({ namespace: null, workload: null });
  });
});

describe('fillFromContext', () => {
  it("an outbound line's caller is the writer", () => {
    const r = fillFromContext(record('outbound'), { labels: WRITER });
    expect([r.src_workload, r.src_namespace, r.dst_service, r.dst_namespace, r.dst_workload]).toEqual(['frontend', 'shop', null, null, null]);
  });

  it("an inbound line's callee is the writer, also as the service it was addressed to when the line names none", () => {
    const r = fillFromContext(record('inbound'), { labels: WRITER });
    expect([r.src_workload, r.src_namespace, r.dst_service, r.dst_namespace, r.dst_workload]).toEqual([null, null, 'frontend', 'shop', 'frontend']);
  });

  it('never overrides what the line says', () => {
    const r = record('inbound');
    r.dst_service = 'catalog';
    r.dst_namespace = 'products';
    fillFromContext(r, { labels: WRITER });
    expect([r.dst_service, r.dst_namespace, r.dst_workload]).toEqual(['catalog', 'products', 'frontend']);
  });

  it('fills nothing when the direction, or the writer, is unknown', () => {
    expect(fillFromContext(record('unknown'), { labels: WRITER })).toEqual(record('unknown'));
    expect(fillFromContext(record('outbound'), { labels: { service_name: 'unknown_service' } })).toEqual(record('outbound'));
  });
});

describe('real lines with their writer', () => {
  it("Linkerd: the caller from client.id's service account and namespace, the callee from the stream", () => {
    const [line] = fixtureLines('linkerd-json.log');
    const result = normalizeLine(line, { format: 'linkerd-json', context: { labels: { namespace: 'booksapp', service_name: 'webapp' } } });
    expect(result.ok && [result.record.src_workload, result.record.src_namespace, result.record.dst_workload]).toEqual(['traffic', 'booksapp', 'webapp']);
  });

  it("Linkerd: the callee from a `<service>.<namespace>` authority when that is the writer's namespace, never a guess otherwise", () => {
    const line = (host: string) => JSON.stringify({ 'client.addr': '10.0.0.1:5000', 'client.id': '-', host, method: 'GET', uri: '/', version: 'HTTP/1.1', status: 200 });
    const callee = (host: string) => {
      const result = normalizeLine(line(host), { format: 'linkerd-json', context: { labels: { namespace: 'emojivoto', service_name: 'voting' } } });
      return result.ok ? [result.record.dst_service, result.record.dst_namespace, result.record.dst_workload] : result.error;
    };
    expect(callee('voting-svc.emojivoto:8080')).toEqual(['voting-svc', 'emojivoto', 'voting']);
    // An ingress hostname, or a namespace that is not the writer's: the writer names the service.
    expect(callee('books.example:80')).toEqual(['voting', 'emojivoto', 'voting']);
  });
});
