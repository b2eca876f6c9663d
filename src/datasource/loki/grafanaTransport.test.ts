import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { of, throwError } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { GrafanaLokiTransport } from './grafanaTransport';

const FIXTURES = join(__dirname, '../../../test/fixtures/datasource/loki');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function fakeBackend(answer: (options: BackendSrvRequest) => ReturnType<BackendSrv['fetch']>) {
  const calls: BackendSrvRequest[] = [];
  const srv = {
    fetch: (options: BackendSrvRequest) => {
      calls.push(options);
      return answer(options);
    },
  } as unknown as BackendSrv;
  return { calls, srv: () => srv };
}

const ok = (data: string, type = 'application/json') =>
  of({ data, status: 200, ok: true, headers: new Headers({ 'content-type': type }) } as unknown as FetchResponse<unknown>);

describe('GrafanaLokiTransport', () => {
  it('sends a GET through the Loki data source proxy route with raw text response', async () => {
    const body = fixture('query_vector.json');
    const backend = fakeBackend(() => ok(body));
    const transport = new GrafanaLokiTransport('loki uid/1', backend.srv);
    const response = await transport.request({
      path: '/loki/api/v1/query',
      params: { query: 'sum(rate({a="b"}[5m]))', 'match[]': ['{a="1"}', '{b="2"}'] },
    });
    expect(response).toEqual({ status: 200, body, contentType: 'application/json' });
    expect(backend.calls).toHaveLength(1);
    expect(backend.calls[0]).toMatchObject({
      url: '/api/datasources/proxy/uid/loki%20uid%2F1/loki/api/v1/query',
      method: 'GET',
      responseType: 'text',
      showErrorAlert: false,
      params: { query: 'sum(rate({a="b"}[5m]))', 'match[]': ['{a="1"}', '{b="2"}'] },
    });
  });

  it.each([
    ['error_400_parse.txt', 400],
    ['error_400_max_series.txt', 400],
    ['error_429_too_many_outstanding.txt', 429],
  ])('hands Loki error text %s back unchanged with its status', async (name, status) => {
    const text = fixture(name);
    // BackendSrv rewrites a text body into { message, error, response } before rejecting.
    const backend = fakeBackend(() =>
      throwError(() => ({ status, statusText: 'Bad Request', data: { message: text, error: 'Bad Request', response: text }, config: {} }))
    );
    const response = await new GrafanaLokiTransport('loki', backend.srv).request({ path: '/loki/api/v1/query_range', params: {} });
    expect(response).toEqual({ status, body: text });
  });

  it('keeps Grafana proxy errors as JSON with their message', async () => {
    const backend = fakeBackend(() =>
      throwError(() => ({ status: 403, data: { message: 'plugin proxy route access denied' }, config: {} }))
    );
    const response = await new GrafanaLokiTransport('loki', backend.srv).request({ path: '/loki/api/v1/labels', params: {} });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ message: 'plugin proxy route access denied' });
  });

  it('explains a network failure instead of returning a fake status', async () => {
    const backend = fakeBackend(() => throwError(() => new TypeError('Failed to fetch')));
    await expect(new GrafanaLokiTransport('loki-1', backend.srv).request({ path: '/loki/api/v1/labels', params: {} })).rejects.toThrow(
      'Could not reach Loki data source "loki-1" through Grafana\'s data proxy: Failed to fetch'
    );
  });

  it('refuses paths outside the Loki query API', async () => {
    const backend = fakeBackend(() => ok('{}'));
    await expect(
      new GrafanaLokiTransport('loki', backend.srv).request({ path: '/../../api/admin/users', params: {} })
    ).rejects.toThrow('only Loki');
    expect(backend.calls).toHaveLength(0);
  });
});
