import { DEFAULT_LABEL_NAMES, type LabelNames, type LogSource } from '../core/query';
import { DEFAULT_POLICY, type LoggingPolicy } from '../core/policy';
import { PolicyError, readPolicy } from '../core/policy-read';
import { PROFILE_NAMES, type ProfileName } from '../core/schema';
import type { MeshAuditOptions } from './types';

/** The data source's jsonData with every default applied: what query building needs. */
export interface ResolvedSettings {
  lokiUid: string | undefined;
  logSource: LogSource;
  labelNames: LabelNames;
  policy: LoggingPolicy;
  /** Set when jsonData.policy is refused: no query runs on a policy nobody wrote. */
  policyError?: string;
}

const KNOWN_PROFILES = new Set<string>(PROFILE_NAMES);

export function resolveLogSource(options: MeshAuditOptions): LogSource {
  const mode = options.logSourceMode ?? 'auto';
  if (mode === 'normalized') {
    return { kind: 'normalized' };
  }
  // Unknown names in stored JSON (e.g. a profile renamed since) are dropped rather than sent to LogQL.
  const picked = (options.profiles ?? []).filter((p): p is ProfileName => KNOWN_PROFILES.has(p));
  if (mode === 'raw' && picked.length > 0) {
    return { kind: 'raw', profiles: picked };
  }
  return { kind: 'raw', profiles: [...PROFILE_NAMES] };
}

export function resolveLabelNames(options: MeshAuditOptions): LabelNames {
  const names: LabelNames = { ...DEFAULT_LABEL_NAMES };
  for (const key of Object.keys(DEFAULT_LABEL_NAMES) as Array<keyof LabelNames>) {
    const value = options.labelNames?.[key]?.trim();
    if (value) {
      names[key] = value;
    }
  }
  return names;
}

/**
 * The policy in jsonData, read by core's one policy reader (keys left out take the defaults): a
 * policy the reader refuses leaves the data source without one, and every query says why.
 */
export function resolvePolicy(options: MeshAuditOptions): { policy: LoggingPolicy } | { policy: LoggingPolicy; error: string } {
  try {
    return { policy: readPolicy(options.policy ?? {}, "the data source's policy (jsonData.policy)", 'partial') };
  } catch (error) {
    if (error instanceof PolicyError) {
      return { policy: DEFAULT_POLICY, error: error.message };
    }
    throw error;
  }
}

export function resolveSettings(options: MeshAuditOptions): ResolvedSettings {
  const resolved = resolvePolicy(options);
  return {
    lokiUid: options.lokiUid || undefined,
    logSource: resolveLogSource(options),
    labelNames: resolveLabelNames(options),
    policy: resolved.policy,
    ...('error' in resolved ? { policyError: resolved.error } : {}),
  };
}
