/**
 * Options more than one command reads: the log source and the policy file. A policy file's fields
 * override the defaults; wrong types are refused with the field named, never guessed.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { LoggingPolicy } from '../core/policy';
import { PolicyError, readPolicy } from '../core/policy-read';
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

/** A policy file: keys it leaves out take the defaults; unknown keys and wrong types are refused (core/policy-read.ts). */
export async function loadPolicy(path: string): Promise<LoggingPolicy> {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read policy ${path}: ${(error as Error).message}`);
  }
  try {
    return readPolicy(raw, `policy ${path}`, 'partial');
  } catch (error) {
    if (error instanceof PolicyError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}
