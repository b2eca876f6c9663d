/**
 * Reads the logging policy YAML (policy.example.yaml) for provisioning: every key required
 * (core/policy-read.ts `complete`), so nothing generated rests on a default nobody wrote down.
 */
import { parse } from 'yaml';
import type { LoggingPolicy } from '../../src/core/policy';
import { PolicyError, readPolicy } from '../../src/core/policy-read';

export function parsePolicyYaml(text: string, source = 'policy'): LoggingPolicy {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new PolicyError(source, `not valid YAML: ${(e as Error).message}`);
  }
  return readPolicy(doc, source, 'complete');
}
