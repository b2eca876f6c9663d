/**
 * What Loki is configured to keep for a stream, resolved exactly as its compactor resolves it
 * (Loki v3.7.3 pkg/compactor/retention/expiration.go, TenantRetentionSnapshot.RetentionPeriodFor):
 * every `retention_stream` rule whose matchers all match is a candidate; of two candidates the
 * higher `priority` wins, on equal priority the shorter `period`, on a full tie the earlier rule;
 * no candidate falls back to `retention_period`; a period of 0 keeps data forever.
 *
 * The limits come from Loki itself (the tenant's limits, see client.drilldownLimits) or from a Loki
 * config file with its runtime overrides (limitsFromLokiConfig). A tenant override replaces a
 * global key as a whole: a tenant with its own `retention_stream` gets none of the global rules.
 */
import { parseDurationMs } from '../loki/duration';
import { parseSelector, selectorMatches, SelectorParseError, type SelectorMatcher } from './selector';

export interface RetentionRule {
  selector: string;
  matchers: SelectorMatcher[];
  priority: number;
  periodMs: number;
}

export interface RetentionLimits {
  /** 0 = forever. */
  retentionPeriodMs: number;
  rules: RetentionRule[];
  /** Where these limits were read, for reasons shown to the user. */
  source: string;
}

export interface ResolvedRetention {
  /** 0 = forever. */
  periodMs: number;
  /** The rule that decided, or null when `retention_period` did. */
  rule: RetentionRule | null;
}

export class RetentionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetentionConfigError';
  }
}

export function resolveRetention(limits: RetentionLimits, labels: Readonly<Record<string, string>>): ResolvedRetention {
  let chosen: RetentionRule | null = null;
  for (const rule of limits.rules) {
    if (!selectorMatches(rule.matchers, labels)) {
      continue;
    }
    if (
      chosen &&
      (chosen.priority > rule.priority || (chosen.priority === rule.priority && chosen.periodMs <= rule.periodMs))
    ) {
      continue;
    }
    chosen = rule;
  }
  return chosen ? { periodMs: chosen.periodMs, rule: chosen } : { periodMs: limits.retentionPeriodMs, rule: null };
}

/** Loki's default `retention_period` (0s: keep forever) when a config says nothing. */
export const LOKI_DEFAULT_RETENTION_PERIOD_MS = 0;

function duration(value: unknown, where: string): number {
  // YAML reads a bare 0 as a number; Loki accepts it as 0s.
  if (value === 0) {
    return 0;
  }
  const ms = typeof value === 'string' ? parseDurationMs(value) : undefined;
  if (ms === undefined || ms < 0) {
    throw new RetentionConfigError(`${where} is ${JSON.stringify(value)}, not a duration such as "744h" or "31d".`);
  }
  return ms;
}

function rulesOf(value: unknown, where: string): RetentionRule[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new RetentionConfigError(
      `${where} should be a list of {selector, priority, period} but is ${JSON.stringify(value)}.`
    );
  }
  return value.map((raw, i) => {
    const at = `${where}[${i}]`;
    if (raw === null || typeof raw !== 'object') {
      throw new RetentionConfigError(`${at} should be {selector, priority, period} but is ${JSON.stringify(raw)}.`);
    }
    const r = raw as Record<string, unknown>;
    if (typeof r.selector !== 'string') {
      throw new RetentionConfigError(
        `${at}.selector should be a stream selector string but is ${JSON.stringify(r.selector)}.`
      );
    }
    let matchers: SelectorMatcher[];
    try {
      matchers = parseSelector(r.selector);
    } catch (error) {
      throw new RetentionConfigError(
        `${at}.selector: ${error instanceof SelectorParseError ? error.message : String(error)}`
      );
    }
    // Loki reads a missing priority as 0.
    const priority = r.priority === undefined ? 0 : r.priority;
    if (typeof priority !== 'number' || !Number.isInteger(priority)) {
      throw new RetentionConfigError(`${at}.priority should be an integer but is ${JSON.stringify(r.priority)}.`);
    }
    return { selector: r.selector, matchers, priority, periodMs: duration(r.period, `${at}.period`) };
  });
}

/** The retention part of one limits object (`limits_config`, a tenant's overrides, or Loki's tenant limits answer). */
export function retentionLimitsOf(limits: unknown, source: string): RetentionLimits {
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) {
    throw new RetentionConfigError(`${source}: the limits should be an object but are ${JSON.stringify(limits)}.`);
  }
  const l = limits as Record<string, unknown>;
  return {
    retentionPeriodMs:
      l.retention_period === undefined
        ? LOKI_DEFAULT_RETENTION_PERIOD_MS
        : duration(l.retention_period, `${source}: retention_period`),
    rules: rulesOf(l.retention_stream, `${source}: retention_stream`),
    source,
  };
}

/**
 * A tenant's retention from a parsed Loki config (its `limits_config`) and, when given, a parsed
 * runtime config (`overrides: {<tenant>: {...}}`): the tenant's keys replace the global ones.
 */
export function limitsFromLokiConfig(
  config: unknown,
  runtime: unknown,
  tenant: string,
  source = 'loki.yaml'
): RetentionLimits {
  const root = (config ?? {}) as Record<string, unknown>;
  const global = (root.limits_config ?? {}) as Record<string, unknown>;
  const overrides = ((runtime ?? {}) as Record<string, unknown>).overrides as Record<string, unknown> | undefined;
  const own =
    overrides && Object.hasOwn(overrides, tenant) ? (overrides[tenant] as Record<string, unknown>) : undefined;
  if (own !== undefined && (own === null || typeof own !== 'object')) {
    throw new RetentionConfigError(
      `runtime overrides for tenant ${JSON.stringify(tenant)} should be an object but are ${JSON.stringify(own)}.`
    );
  }
  const merged = { ...global, ...(own ?? {}) };
  return retentionLimitsOf(merged, own ? `${source} with the runtime overrides of tenant ${tenant}` : source);
}

/** Whether the compactor deletes anything at all: without `retention_enabled` Loki keeps every line. */
export function retentionEnabled(config: unknown): boolean {
  const compactor = ((config ?? {}) as Record<string, unknown>).compactor as Record<string, unknown> | undefined;
  return compactor?.retention_enabled === true;
}
