/**
 * Parses `/loki/api/v1/drilldown-limits` (Loki >= 3.6): the asking tenant's limits with its runtime
 * overrides applied, as Loki itself holds them, restricted to `tenant_limits_allow_publish` (by
 * default it includes retention_period, retention_stream, max_query_length, volume_enabled and
 * volume_max_series; seen on Loki 3.7.3). Durations stay Loki's text ("31d", "1y"); callers read them.
 */
import { parseDurationMs } from '../duration';
import { BodyReader } from './body';

export interface TenantLimits {
  /** The published limits as Loki sent them. */
  limits: Record<string, unknown>;
  /** max_query_length, when published; 0 = no limit. */
  maxQueryLengthMs?: number;
  volumeEnabled?: boolean;
  volumeMaxSeries?: number;
  version?: string;
}

export function parseTenantLimitsResponse(body: string, status = 200): TenantLimits {
  const reader = new BodyReader(body, status, 'a tenant limits (drilldown-limits) response');
  const root = reader.record(reader.json(), '(body)');
  const limits = reader.record(root.limits, 'limits');
  const out: TenantLimits = { limits };
  if (limits.max_query_length !== undefined) {
    const ms = typeof limits.max_query_length === 'string' ? parseDurationMs(limits.max_query_length) : undefined;
    if (ms === undefined) {
      reader.fail('limits.max_query_length', `is ${JSON.stringify(limits.max_query_length)}, not a duration`);
    }
    out.maxQueryLengthMs = ms;
  }
  if (limits.volume_enabled !== undefined) {
    const enabled = limits.volume_enabled;
    if (typeof enabled !== 'boolean') {
      return reader.fail('limits.volume_enabled', 'should be true or false');
    }
    out.volumeEnabled = enabled;
  }
  if (limits.volume_max_series !== undefined) {
    out.volumeMaxSeries = reader.number(limits.volume_max_series, 'limits.volume_max_series');
  }
  if (typeof root.version === 'string') {
    out.version = root.version;
  }
  return out;
}
