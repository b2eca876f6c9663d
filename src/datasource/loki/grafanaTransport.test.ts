import { GrafanaLokiTransport } from './grafanaTransport';
import { FakeLokiTransport } from '../../../test/support/fakeLoki';
import { readLokiFixture } from '../../../test/support/fixtures';
import { backendSrvOverLoki } from '../../../test/support/grafanaRuntime';

/** Grafana's BackendSrv (Loki data source `loki uid/1`) in front of the one fake Loki. */
function grafanaOver(loki: FakeLokiTransport) {
  const srv = backendSrvOverLoki(loki, 'loki uid/1');
  return { calls: srv.calls, srv: () => srv };
}

describe('GrafanaLokiTransport', () => {
  it('sends a GET through the Loki data source proxy route with raw text response', async () => {
    const body = readLokiFixture('query_vector.json');
    const grafana = grafanaOver(new FakeLokiTransport().onFixture('/loki/api/v1/query', 'query_vector.json'));
    const transport = new GrafanaLokiTransport('loki uid/1', grafana.srv);
    const response = await transport.request({
      path: '/loki/api/v1/query',
      params: { query: 'sum(rate({a="b"}[5m]))', 'match[]': ['{a="1"}', '{b="2"}'] },
    });
    expect(response).toEqual({ status: 200, body, contentType: 'application/json' });
    expect(grafana.calls).toHaveLength(1);
    expect(grafana.calls[0]).toMatchObject({
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
    // BackendSrv rewrites a text body into { message, response } before rejecting.
    const grafana = grafanaOver(new FakeLokiTransport().onFixture('/loki/api/v1/query_range', name));
    const response = await new GrafanaLokiTransport('loki uid/1', grafana.srv).request({ path: '/loki/api/v1/query_range', params: {} });
    expect(response).toEqual({ status, body: readLokiFixture(name) });
  });

  it("keeps Grafana's own errors (no such data source) as JSON with their message", async () => {
    const grafana = grafanaOver(new FakeLokiTransport());
    const response = await new GrafanaLokiTransport('deleted-loki', grafana.srv).request({ path: '/loki/api/v1/labels', params: {} });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ message: expect.stringContaining('/api/datasources/proxy/uid/deleted-loki/') });
  });

  it('explains a network failure instead of returning a fake status', async () => {
    const grafana = grafanaOver(
      new FakeLokiTransport().otherwise(() => {
        throw new TypeError('Failed to fetch');
      })
    );
    await expect(new GrafanaLokiTransport('loki uid/1', grafana.srv).request({ path: '/loki/api/v1/labels', params: {} })).rejects.toThrow(
      'Could not reach Loki data source "loki uid/1" through Grafana\'s data proxy: Failed to fetch'
    );
  });

  it('refuses paths outside the Loki query API', async () => {
    const grafana = grafanaOver(new FakeLokiTransport().otherwise(() => ({ status: 200, body: '{}' })));
    await expect(
      new GrafanaLokiTransport('loki uid/1', grafana.srv).request({ path: '/../../api/admin/users', params: {} })
    ).rejects.toThrow('only Loki');
    expect(grafana.calls).toHaveLength(0);
  });
});
