/**
 * Every provisioning file generated from code, keyed by its path in the repository. `main.ts`
 * writes them; the drift test in test/as-code compares them with the checked-in files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicyYaml } from './policyFile';
import { PROVISIONED_LOG_SOURCE, renderMeshAuditDatasource } from './meshAuditDatasource';
import { parse } from 'yaml';
import { renderAlertRules, renderRetentionAlertRules } from './alertRules';
import { renderLokiRules } from './lokiRules';
import { renderLokiConfig } from './lokiRetention';
import { renderSharedPipelines } from './shipperPipelines';

export const POLICY_FILE = 'policy.example.yaml';
const LOKI_CONFIG = 'provisioning/loki/loki.yaml';

export interface GeneratedFile {
  path: string;
  content: string;
}

export function generateProvisioning(root: string): GeneratedFile[] {
  const policy = parsePolicyYaml(readFileSync(join(root, POLICY_FILE), 'utf8'), POLICY_FILE);
  return [
    { path: 'provisioning/grafana/datasources/mesh-audit.yaml', content: renderMeshAuditDatasource(policy) },
    { path: 'provisioning/grafana/alerting/mesh-audit-rules.yaml', content: renderAlertRules(policy, PROVISIONED_LOG_SOURCE) },
    { path: 'provisioning/loki/rules/mesh-audit/soc2-controls.yaml', content: renderLokiRules(policy, PROVISIONED_LOG_SOURCE) },
    {
      path: 'provisioning/grafana/alerting/mesh-audit-retention-rules.yaml',
      content: renderRetentionAlertRules(policy, parse(renderLokiConfig(readFileSync(join(root, LOKI_CONFIG), 'utf8'), policy))),
    },
    {
      path: LOKI_CONFIG,
      content: renderLokiConfig(readFileSync(join(root, LOKI_CONFIG), 'utf8'), policy),
    },
    ...renderSharedPipelines(root),
  ];
}
