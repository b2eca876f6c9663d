import { playgroundTheme } from './bootdata';
import React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { createTheme } from '@grafana/data';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import { EvidenceExport, type EvidenceExportProps } from '../../src/app/EvidenceExport';
import policyYaml from '../../policy.example.yaml';
import recording from '../fixtures/loki-recorded/normalized.json';
import { parsePolicyYaml } from '../../provisioning/generate/policyFile';
import { replayLoki, type RecordedAnswer } from '../support/grafanaRuntime';
import { dataSource } from '../loki/conformance';
import { RERECORD } from '../loki/rerecord';
import { LOKI_UIDS, TENANTS } from '../loki/window';

/**
 * The app's Evidence export page without a Grafana server: its one Mesh Audit data source answers
 * from what the real Loki said to the conformance suite (test/fixtures/loki-recorded/normalized).
 */
const DATA_SOURCES = [{ uid: 'mesh-audit-normalized', name: 'Mesh Audit (recorded real Loki)' }];

let root: Root | undefined;

function mountEvidence(initial: EvidenceExportProps['initial']) {
  const policy = parsePolicyYaml(policyYaml, 'policy.example.yaml');
  const backendSrv = replayLoki(recording.answers as RecordedAnswer[], { [LOKI_UIDS.normalized]: TENANTS.normalized }, RERECORD);
  const ds = dataSource('normalized', backendSrv, policy);
  if (!root) {
    const container = document.createElement('div');
    container.id = 'evidence-root';
    document.body.appendChild(container);
    root = createRoot(container);
  }
  root.render(
    <ThemeContext.Provider value={createTheme({ colors: { mode: playgroundTheme } })}>
      <GlobalStyles />
      <div data-testid="evidence-stage" style={{ padding: 16 }}>
        <EvidenceExport dataSources={DATA_SOURCES} load={async () => ds} initial={initial} />
      </div>
    </ThemeContext.Provider>
  );
}

declare global {
  interface Window {
    meshAuditEvidence: { mountEvidence: typeof mountEvidence };
  }
}
window.meshAuditEvidence = { mountEvidence };
