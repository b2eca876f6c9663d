/**
 * Options more than one command reads: the log source and the policy file. A policy file's fields
 * override the defaults; wrong types are refused with the field named, never guessed.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_POLICY, type LoggingPolicy } from '../core/policy';
import type { LogSource } from '../core/query';
import { PROFILE_NAMES, type ProfileName } from '../core/schema';
import { UsageError } from './io';

export function oneOfChoices<T extends string>(value: string, choices: readonly T[], option: string): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${option} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

export function logSource(source: string, profiles: string[]): LogSource {
  if (oneOfChoices(source, ['normalized', 'raw'] as const, 'source') === 'normalized') {
    if (profiles.length > 0) {
      throw new UsageError('--profile applies only with --source raw');
    }
    return { kind: 'normalized' };
  }
  if (profiles.length === 0) {
    throw new UsageError(`--source raw needs at least one --profile (${PROFILE_NAMES.join(', ')})`);
  }
  return { kind: 'raw', profiles: profiles.map((p) => oneOfChoices<ProfileName>(p, PROFILE_NAMES, 'profile')) };
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new UsageError(`policy: ${where} must be a list of strings`);
  }
  return value;
}

/** A policy file: its fields override the defaults; wrong types are refused, not guessed. */
export async function loadPolicy(path: string): Promise<LoggingPolicy> {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read policy ${path}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`policy ${path} must be a YAML mapping`);
  }
  const p = raw as Record<string, unknown>;
  const thresholds = { ...DEFAULT_POLICY.thresholds };
  if (p.thresholds !== undefined) {
    if (typeof p.thresholds !== 'object' || p.thresholds === null) {
      throw new UsageError('policy: thresholds must be a mapping');
    }
    for (const [key, value] of Object.entries(p.thresholds)) {
      if (!(key in thresholds) || typeof value !== 'number' || !Number.isFinite(value)) {
        throw new UsageError(`policy: thresholds.${key} must be one of ${Object.keys(thresholds).join(', ')} with a number value`);
      }
      thresholds[key as keyof typeof thresholds] = value;
    }
  }
  let logClasses = DEFAULT_POLICY.logClasses;
  if (p.logClasses !== undefined) {
    if (!Array.isArray(p.logClasses)) {
      throw new UsageError('policy: logClasses must be a list');
    }
    logClasses = p.logClasses.map((c: unknown, i: number) => {
      const item = (c ?? {}) as Record<string, unknown>;
      const selector = item.selector as Record<string, unknown> | undefined;
      if (
        typeof item.name !== 'string' ||
        typeof item.retentionDays !== 'number' ||
        typeof selector !== 'object' ||
        selector === null ||
        !Object.values(selector).every((v) => typeof v === 'string')
      ) {
        throw new UsageError(`policy: logClasses[${i}] needs name (string), selector (label: value) and retentionDays (number)`);
      }
      return { name: item.name, selector: selector as Record<string, string>, retentionDays: item.retentionDays };
    });
  }
  return {
    ...DEFAULT_POLICY,
    logClasses,
    strictMtlsNamespaces: stringList(p.strictMtlsNamespaces, 'strictMtlsNamespaces'),
    requiredServices: stringList(p.requiredServices, 'requiredServices'),
    thresholds,
    auditWindowDays: typeof p.auditWindowDays === 'number' ? p.auditWindowDays : DEFAULT_POLICY.auditWindowDays,
  };
}
