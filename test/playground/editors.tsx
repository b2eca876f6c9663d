import React, { useState } from 'react';
import { dateTime, type DataSourceInstanceSettings, type TimeRange } from '@grafana/data';
import { setBackendSrv, type BackendSrv } from '@grafana/runtime';
import { mountThemed } from './mountThemed';
import { MeshAuditDataSource } from '../../src/datasource/datasource';
import { QueryEditor } from '../../src/datasource/components/QueryEditor';
import type { MeshAuditOptions, MeshAuditQuery } from '../../src/datasource/types';
import { backendSrvOver } from '../support/grafanaRuntime';
import namespaces from '../fixtures/datasource/playground/label_values_namespace.json';
import requests from '../fixtures/datasource/topology/requests.json';

/**
 * The Mesh Audit query editor without a Grafana server: the test BackendSrv answers the Loki proxy
 * route with fixture bodies (label values, the services vector), so suggestions work offline.
 */
export interface EditorMountRequest {
  query: MeshAuditQuery;
  jsonData?: MeshAuditOptions;
}

/** Grafana's BackendSrv (test/support) in front of Loki data source `lokiUid`, answered by the fixtures. */
function stubBackend(lokiUid: string): BackendSrv {
  return backendSrvOver({ [lokiUid]: '' }, async (_tenant, path) => {
    if (/^\/loki\/api\/v1\/label\/[^/]+\/values$/.test(path)) {
      return { status: 200, body: JSON.stringify(namespaces) };
    }
    if (path === '/loki/api/v1/query') {
      return { status: 200, body: JSON.stringify(requests) };
    }
    return { status: 404, body: `playground has no fixture for ${path}` };
  });
}

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

function mountEditor(request: EditorMountRequest): void {
  setBackendSrv(stubBackend(request.jsonData?.lokiUid ?? 'loki'));
  mountThemed('editor-root', <Harness request={request} />);
}

declare global {
  interface Window {
    meshAuditEditors: { mountEditor: typeof mountEditor };
  }
}
window.meshAuditEditors = { mountEditor };
