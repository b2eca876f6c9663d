/**
 * The Loki data source's proxy route forwarded to a real Loki (Node only), recording every answer
 * for the replay (test/support/grafanaRuntime.ts).
 */
import type { BackendSrv } from '@grafana/runtime';
import { backendSrvOver, type RecordedAnswer } from '../support/grafanaRuntime';
import { http } from './http';

export interface LiveLoki {
  backendSrv: BackendSrv;
  recorded: RecordedAnswer[];
  requests: number;
  elapsedMs: number;
}

/**
 * Forwards to `lokiUrl` with the tenant header, as Grafana's ds_proxy does for a Loki data source
 * with a custom X-Scope-OrgID header (none for the tenant ''), and records every answer.
 */
export function liveLoki(lokiUrl: string, tenants: Record<string, string>): LiveLoki {
  const live: LiveLoki = { backendSrv: undefined as unknown as BackendSrv, recorded: [], requests: 0, elapsedMs: 0 };
  live.backendSrv = backendSrvOver(tenants, async (tenant, path, params, headers) => {
    const url = new URL(lokiUrl.replace(/\/+$/, '') + path);
    for (const [name, value] of params) {
      url.searchParams.append(name, value);
    }
    const started = performance.now();
    // An empty tenant sends no X-Scope-OrgID, as a Loki data source without the header does.
    const { status, body } = await http(url.toString(), { headers: tenant === '' ? headers : { ...headers, 'X-Scope-OrgID': tenant } });
    live.elapsedMs += performance.now() - started;
    live.requests += 1;
    live.recorded.push({ tenant, path, params, status, body });
    return { status, body };
  });
  return live;
}

