/**
 * The logging policy the dashboards are generated for: the same policy.example.yaml that
 * provisioning turns into the Mesh Audit data source's jsonData (provisioning/generate), so
 * thresholds, log classes and the audit window agree between panels and data source.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggingPolicy } from '../src/core/policy';
import { POLICY_FILE } from '../provisioning/generate/outputs';
import { parsePolicyYaml } from '../provisioning/generate/policyFile';

export function loadPolicy(root: string): LoggingPolicy {
  return parsePolicyYaml(readFileSync(join(root, POLICY_FILE), 'utf8'), POLICY_FILE);
}
