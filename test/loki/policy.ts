/** policy.example.yaml, the policy every conformance leg evaluates (Node only). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggingPolicy } from '../../src/core/policy';
import { parsePolicyYaml } from '../../provisioning/generate/policyFile';

export const POLICY: LoggingPolicy = parsePolicyYaml(readFileSync(join(__dirname, '../../policy.example.yaml'), 'utf8'));
