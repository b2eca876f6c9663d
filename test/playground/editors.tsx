import { playgroundTheme } from './bootdata';
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { of, throwError } from 'rxjs';
import { createTheme, dateTime, type DataSourceInstanceSettings, type TimeRange } from '@grafana/data';
import { setBackendSrv, type BackendSrv, type BackendSrvRequest } from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import { MeshAuditDataSource } from '../../src/datasource/datasource';
import { QueryEditor } from '../../src/datasource/components/QueryEditor';
import type { MeshAuditOptions, MeshAuditQuery } from '../../src/datasource/types';
import namespaces from '../fixtures/datasource/playground/label_values_namespace.json';
import requests from '../fixtures/datasource/topology/requests.json';

/**
 * The Mesh Audit query editor without a Grafana server: a stub BackendSrv answers the Loki proxy
 * route with fixture bodies (label values, the services vector), so suggestions work offline.
 */
export interface EditorMountRequest {
  query: MeshAuditQuery;
  jsonData?: MeshAuditOptions;
}

function stubBackend(): BackendSrv {
  const answer = (req: BackendSrvRequest) => {
    const path = req.url.replace(/^\/api\/datasources\/proxy\/uid\/[^/]+/, '');
    if (/^\/loki\/api\/v1\/label\/[^/]+\/values$/.test(path)) {
      return JSON.stringify(namespaces);
    }
    if (path === '/loki/api/v1/query') {
      return JSON.stringify(requests);
    }
    return undefined;
  };
  return {
    fetch: (req: BackendSrvRequest) => {
      const body = answer(req);
      return body === undefined
        ? throwError(() => ({ status: 404, data: { message: `playground has no fixture for ${req.url}` }, config: req }))
        : of({ data: body, status: 200, ok: true, headers: new Headers({ 'content-type': 'application/json' }), config: req });
    },
  } as unknown as BackendSrv;
}

const theme = createTheme({ colors: { mode: playgroundTheme } });
const RANGE: TimeRange = (() => {
  const to = dateTime(Date.UTC(2025, 10, 26, 6, 20));
  const from = dateTime(to.valueOf() - 3_600_000);
  return { from, to, raw: { from: 'now-1h', to: 'now' } };
})();

function Harness({ request }: { request: EditorMountRequest }) {
  const [query, setQuery] = useState(request.query);
  const [datasource] = useState(
    () =>
      new MeshAuditDataSource(
        {
          uid: 'meshaudit',
          name: 'Mesh Audit',
          type: 'meshaudit-loki-datasource',
          jsonData: request.jsonData ?? { lokiUid: 'loki', logSourceMode: 'normalized' },
        } as DataSourceInstanceSettings<MeshAuditOptions>,
        () => undefined as never
      )
  );
  return (
    <div data-testid="editor-stage" style={{ padding: 16, width: 960 }}>
      <QueryEditor query={query} datasource={datasource} onChange={setQuery} onRunQuery={() => {}} range={RANGE} />
      <pre data-testid="editor-query-model" style={{ display: 'none' }}>
        {JSON.stringify(query)}
      </pre>
    </div>
  );
}

let root: ReturnType<typeof createRoot> | undefined;

function mountEditor(request: EditorMountRequest): void {
  setBackendSrv(stubBackend());
  if (!root) {
    const container = document.createElement('div');
    container.id = 'editor-root';
    document.body.appendChild(container);
    root = createRoot(container);
  }
  root.render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <Harness request={request} />
    </ThemeContext.Provider>
  );
}

declare global {
  interface Window {
    meshAuditEditors: { mountEditor: typeof mountEditor };
  }
}
window.meshAuditEditors = { mountEditor };
