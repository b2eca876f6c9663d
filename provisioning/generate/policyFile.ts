/**
 * Reads the logging policy YAML (policy.example.yaml) into a LoggingPolicy, with messages that
 * name the offending key: a typo here would otherwise surface as a silently wrong retention rule.
 */
import { parse } from 'yaml';
import type { LogClass, LoggingPolicy } from '../../src/core/policy';

export class PolicyFileError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'PolicyFileError';
  }
}

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parsePolicyYaml(text: string, source = 'policy'): LoggingPolicy {
  const fail = (message: string): never => {
    throw new PolicyFileError(source, message);
  };
  let doc: Json;
  try {
    doc = parse(text);
  } catch (e) {
    return fail(`not valid YAML: ${(e as Error).message}`);
  }
  if (!isRecord(doc)) {
    return fail('expected a mapping at the top level');
  }
  const known = new Set(['logClasses', 'strictMtlsNamespaces', 'requiredServices', 'thresholds', 'auditWindowDays']);
  for (const key of Object.keys(doc)) {
    if (!known.has(key)) {
      fail(`unknown key "${key}" (expected one of ${[...known].join(', ')})`);
    }
  }
  const stringList = (key: string): string[] => {
    const v = doc[key];
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s.trim() === '')) {
      return fail(`"${key}" must be a list of non-empty strings`);
    }
    return v as string[];
  };
  const positiveNumber = (value: Json, where: string, max = Infinity): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
      return fail(`"${where}" must be a number between 0 and ${max}, got ${JSON.stringify(value)}`);
    }
    return value;
  };

  if (!Array.isArray(doc.logClasses) || doc.logClasses.length === 0) {
    fail('"logClasses" must be a non-empty list');
  }
  const names = new Set<string>();
  const logClasses: LogClass[] = (doc.logClasses as Json[]).map((c, i) => {
    const where = `logClasses[${i}]`;
    if (!isRecord(c) || typeof c.name !== 'string' || c.name.trim() === '') {
      return fail(`${where} needs a non-empty "name"`);
    }
    if (names.has(c.name)) {
      fail(`${where}: duplicate class name "${c.name}"`);
    }
    names.add(c.name);
    const selector = c.selector;
    if (!isRecord(selector) || Object.keys(selector).length === 0) {
      return fail(`${where}.selector must map at least one label to a value`);
    }
    for (const [label, value] of Object.entries(selector)) {
      if (typeof value !== 'string' || value === '') {
        fail(`${where}.selector.${label} must be a non-empty string`);
      }
    }
    const days = positiveNumber(c.retentionDays, `${where}.retentionDays`);
    // Loki refuses retention_stream periods under 24h.
    if (!Number.isInteger(days) || days < 1) {
      fail(`${where}.retentionDays must be a whole number of days >= 1, got ${days}`);
    }
    return { name: c.name, selector: selector as Record<string, string>, retentionDays: days };
  });

  const t = doc.thresholds;
  if (!isRecord(t)) {
    return fail('"thresholds" must be a mapping');
  }
  const thresholds = {
    minMtlsShare: positiveNumber(t.minMtlsShare, 'thresholds.minMtlsShare', 1),
    maxErrorShare: positiveNumber(t.maxErrorShare, 'thresholds.maxErrorShare', 1),
    maxSilenceMinutes: positiveNumber(t.maxSilenceMinutes, 'thresholds.maxSilenceMinutes'),
  };
  const auditWindowDays = positiveNumber(doc.auditWindowDays, 'auditWindowDays');
  if (!Number.isInteger(auditWindowDays) || auditWindowDays < 1) {
    fail(`"auditWindowDays" must be a whole number >= 1, got ${auditWindowDays}`);
  }
  return {
    logClasses,
    strictMtlsNamespaces: stringList('strictMtlsNamespaces'),
    requiredServices: stringList('requiredServices'),
    thresholds,
    auditWindowDays,
  };
}
