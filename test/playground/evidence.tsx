import React from 'react';
import { mountThemed } from './mountThemed';
import { EvidenceExport, type EvidenceExportProps } from '../../src/app/EvidenceExport';
import policyYaml from '../../policy.example.yaml';
import recording from '../fixtures/loki-recorded/normalized-promtail.json';
import { parsePolicyYaml } from '../../provisioning/generate/policyFile';
import { replayLoki, type RecordedAnswer } from '../support/grafanaRuntime';
import { dataSource } from '../loki/conformance';
import { RERECORD } from '../loki/rerecord';
import { LOKI_UIDS, PROMTAIL_WINDOW } from '../loki/window';

/**
 * The app's Evidence export page without a Grafana server: its one Mesh Audit data source answers
 * from what the real Loki said to the conformance suite for the window Promtail shipped
 * (test/fixtures/loki-recorded/normalized-promtail).
 */
const DATA_SOURCES = [{ uid: 'mesh-audit-normalized', name: 'Mesh Audit (recorded real Loki)' }];

function mountEvidence(initial: EvidenceExportProps['initial']) {
  const policy = parsePolicyYaml(policyYaml, 'policy.example.yaml');
  const backendSrv = replayLoki(recording.answers as RecordedAnswer[], { [LOKI_UIDS.normalized]: PROMTAIL_WINDOW.tenants.normalized }, RERECORD);
  const ds = dataSource('normalized', backendSrv, policy);
  mountThemed(
    'evidence-root',
    <div data-testid="evidence-stage" style={{ padding: 16 }}>
      <EvidenceExport dataSources={DATA_SOURCES} load={async () => ds} initial={initial} />
    </div>
  );
}

declare global {
  interface Window {
    meshAuditEvidence: { mountEvidence: typeof mountEvidence };
  }
}
window.meshAuditEvidence = { mountEvidence };
