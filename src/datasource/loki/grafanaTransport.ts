import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError, type BackendSrv, type FetchResponse } from '@grafana/runtime';
import type { LokiRawResponse, LokiRequest, LokiTransport } from '../../core/loki/types';

/**
 * Reaches Loki through the configured Loki data source's data-proxy route, so the browser never
 * holds Loki credentials and Grafana applies the Loki data source's auth, TLS and headers.
 *
 * Evidence that the route serves Loki (grafana/grafana, read 2026-11):
 * - `pkg/api/pluginproxy/ds_proxy.go` `validateRequest`: requests are matched against the plugin's
 *   `routes`; an unmatched request is forwarded unchanged, except that for Prometheus-like and
 *   Loki data sources unmatched DELETE/PUT/POST are refused ("non allow-listed POSTs not allowed
 *   on proxied loki datasource"). The Loki plugin.json `routes` list `/api/v1/query_range` etc.
 *   without the `/loki` prefix, so `loki/api/v1/...` is unmatched: GET is forwarded, POST is not.
 *   Hence every call here is a GET.
 * - `director`: the proxy path is appended to the data source URL, with the Loki data source's
 *   basic auth / forwarded OAuth / custom headers applied.
 * - Older Grafana turns a 401 from the target into 400 "Authentication to data source failed".
 * `/api/ds/query` (the Loki backend's frames) would be the fallback if this route were closed;
 * it is not needed for Grafana 12.3+.
 */
export class GrafanaLokiTransport implements LokiTransport {
  constructor(
    private readonly lokiUid: string,
    private readonly backendSrv: () => BackendSrv = getBackendSrv
  ) {}

  async request(request: LokiRequest): Promise<LokiRawResponse> {
    // `/config` (compactor.retention_enabled, which no API publishes) is a GET like the rest, so the
    // proxy forwards it the same way; a Loki that does not expose it answers 404, which callers report.
    if (!request.path.startsWith('/loki/api/v1/') && request.path !== '/config') {
      throw new Error(`Refusing to proxy "${request.path}": only Loki's /loki/api/v1/ API and /config are used.`);
    }
    const url = `/api/datasources/proxy/uid/${encodeURIComponent(this.lokiUid)}${request.path}`;
    try {
      const response = await lastValueFrom(
        this.backendSrv().fetch<unknown>({
          url,
          method: 'GET',
          params: request.params,
          headers: request.headers,
          responseType: 'text',
          showErrorAlert: false,
          abortSignal: request.signal,
        })
      );
      return { status: response.status, body: bodyText(response.data), contentType: contentType(response) };
    } catch (error) {
      return fromFetchError(error, this.lokiUid);
    }
  }
}

function contentType(response: Pick<FetchResponse, 'headers'>): string | undefined {
  return response.headers?.get?.('content-type') ?? undefined;
}

function bodyText(data: unknown): string {
  if (typeof data === 'string') {
    return data;
  }
  return data === undefined || data === null ? '' : JSON.stringify(data);
}

/**
 * BackendSrv rewrites a text error body into `{ message, error: statusText, response: body }`
 * (backend_srv.ts `processRequestError`); the original Loki text is in `response`. Grafana's
 * own proxy errors arrive as JSON `{ message }`.
 */
function errorBody(data: unknown): string {
  if (typeof data === 'string') {
    return data;
  }
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    if (typeof record.response === 'string') {
      return record.response;
    }
    if (typeof record.message === 'string') {
      return JSON.stringify({ message: record.message });
    }
  }
  return bodyText(data);
}

function fromFetchError(error: unknown, lokiUid: string): LokiRawResponse {
  if (isFetchError(error) && !error.cancelled && typeof error.status === 'number' && error.status > 0) {
    return { status: error.status, body: errorBody(error.data) };
  }
  if (isFetchError(error) && error.cancelled) {
    throw new Error('The Loki request was cancelled (a newer query replaced it).');
  }
  const reason = error instanceof Error ? error.message : String(error);
  throw new Error(`Could not reach Loki data source "${lokiUid}" through Grafana's data proxy: ${reason}`);
}
