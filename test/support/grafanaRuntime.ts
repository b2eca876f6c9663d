/**
 * The one fake of Grafana's BackendSrv as the data source meets it: the Loki data source's proxy
 * route (`/api/datasources/proxy/uid/<uid>/loki/api/v1/...` and `/config`) answered by the fake Loki
 * (`backendSrvOverLoki`), by what a live run recorded (`replayLoki`: CI and the playground), or by
 * a real Loki (test/loki/live.ts). Browser-safe: the playground bundles it.
 *
 * The error shape mirrors backend_srv.ts `processRequestError` for a text body, which
 * src/datasource/loki/grafanaTransport.ts unwraps.
 */
import { Observable } from 'rxjs';
import type { BackendSrv, BackendSrvRequest } from '@grafana/runtime';
import type { LokiTransport } from '../../src/core/loki/types';

// The tenant API, and Loki's running configuration (compactor settings no API publishes).
const PROXY_ROUTE = /^\/api\/datasources\/proxy\/uid\/([^/]+)(\/loki\/api\/v1\/.*|\/config)$/;

/** One Loki answer, keyed by what the data source asked. */
export interface RecordedAnswer {
  tenant: string;
  path: string;
  /** Query parameters in Loki's order-insensitive form: sorted by name. */
  params: Array<[string, string]>;
  status: number;
  body: string;
}

export function requestKey(tenant: string, path: string, params: Array<[string, string]>): string {
  return JSON.stringify([tenant, path, params]);
}

function paramsOf(req: BackendSrvRequest): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(req.params ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      out.push([name, String(v)]);
    }
  }
  return out.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
}

/** What one proxied request resolves to; the tenant is the Loki data source's X-Scope-OrgID. */
type Answerer = (
  tenant: string,
  path: string,
  params: Array<[string, string]>,
  headers: Record<string, string>,
  signal: AbortSignal | undefined
) => Promise<{ status: number; body: string; contentType?: string }>;

/** A BackendSrv that also lists every request it was handed, as the data source built it. */
export type RecordingBackendSrv = BackendSrv & { calls: BackendSrvRequest[] };

export function backendSrvOver(tenants: Record<string, string>, answer: Answerer): RecordingBackendSrv {
  const calls: BackendSrvRequest[] = [];
  const fetch = (req: BackendSrvRequest) =>
    new Observable((subscriber) => {
      calls.push(req);
      const route = PROXY_ROUTE.exec(req.url);
      const tenant = route ? tenants[decodeURIComponent(route[1])] : undefined;
      if (!route || tenant === undefined) {
        subscriber.error({ status: 404, data: { message: `no Loki data source behind ${req.url}` }, config: req });
        return;
      }
      answer(tenant, route[2], paramsOf(req), (req.headers ?? {}) as Record<string, string>, req.abortSignal).then(
        ({ status, body, contentType = 'application/json' }) => {
          if (status >= 400) {
            subscriber.error({ status, data: { message: body, response: body }, config: req });
            return;
          }
          subscriber.next({ status, data: body, headers: new Headers({ 'content-type': contentType }), ok: true, url: req.url, config: req });
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error instanceof Error ? error : new Error(String(error)))
      );
    });
  return { fetch, calls } as unknown as RecordingBackendSrv;
}

/**
 * Grafana in front of the fake Loki: Loki data source `uid` (tenant '') proxies to `loki`, which
 * sees the request as the data source's transport would send it straight to Loki.
 */
export function backendSrvOverLoki(loki: LokiTransport, uid = 'loki-uid'): RecordingBackendSrv {
  return backendSrvOver({ [uid]: '' }, (_tenant, path, pairs, headers, signal) => {
    const params: Record<string, string | string[]> = {};
    for (const [name, value] of pairs) {
      const seen = params[name];
      params[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    return loki.request({ path, params, headers, signal });
  });
}

export class StaleRecordingError extends Error {}

/** Answers only what a live run recorded; anything else is a stale recording, said plainly. */
export function replayLoki(recorded: readonly RecordedAnswer[], tenants: Record<string, string>, rerecord: string): RecordingBackendSrv {
  const answers = new Map(recorded.map((r) => [requestKey(r.tenant, r.path, r.params), r]));
  return backendSrvOver(tenants, async (tenant, path, params) => {
    const hit = answers.get(requestKey(tenant, path, params));
    if (!hit) {
      const query = params.find(([name]) => name === 'query')?.[1];
      throw new StaleRecordingError(
        `The recorded Loki answers are stale: the data source now sends a request they do not hold ` +
          `(tenant ${tenant}, ${path}${query ? `, query ${query}` : ''}). Re-record them: ${rerecord}`
      );
    }
    return { status: hit.status, body: hit.body };
  });
}
