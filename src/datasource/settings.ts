import { DEFAULT_LABEL_NAMES, type LabelNames, type LogSource } from '../core/query';
import { DEFAULT_POLICY, type LoggingPolicy } from '../core/policy';
import { PROFILE_NAMES, type ProfileName } from '../core/schema';
import type { MeshAuditOptions } from './types';

/** The data source's jsonData with every default applied: what query building needs. */
export interface ResolvedSettings {
  lokiUid: string | undefined;
  logSource: LogSource;
  labelNames: LabelNames;
  policy: LoggingPolicy;
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

export function resolvePolicy(options: MeshAuditOptions): LoggingPolicy {
  const p = options.policy ?? {};
  return {
    logClasses: p.logClasses ?? DEFAULT_POLICY.logClasses,
    strictMtlsNamespaces: p.strictMtlsNamespaces ?? DEFAULT_POLICY.strictMtlsNamespaces,
    requiredServices: p.requiredServices ?? DEFAULT_POLICY.requiredServices,
    allowedCallers: p.allowedCallers ?? DEFAULT_POLICY.allowedCallers,
    thresholds: { ...DEFAULT_POLICY.thresholds, ...p.thresholds },
    auditWindowDays: p.auditWindowDays ?? DEFAULT_POLICY.auditWindowDays,
  };
}

export function resolveSettings(options: MeshAuditOptions): ResolvedSettings {
  return {
    lokiUid: options.lokiUid || undefined,
    logSource: resolveLogSource(options),
    labelNames: resolveLabelNames(options),
    policy: resolvePolicy(options),
  };
}
