import { dateTime, type DataFrame } from '@grafana/data';
import { parse as parseYaml } from 'yaml';
import { DAY_MS } from '../../core/frames';
import { LokiError } from '../../core/loki/errors';
import type { TenantLimits } from '../../core/loki/parse/parseLimits';
import type { LogClass } from '../../core/policy';
import { buildRetentionIndexRequests } from '../../core/queries/retention-index';
import { RetentionConfigError, retentionLimitsOf, type RetentionLimits } from '../../core/retention/configured';
import type { CompactorDeletes } from '../../core/retention/controls';
import { dayRange } from '../../core/retention/coverage';
import { evaluateRetention, type ClassRetention } from '../../core/retention/evaluate';
import type { QueryPlan } from '../../core/plan';
import { exploreUrl } from '../explore';
import { retentionIndexFrame } from '../frames/retentionFrame';
import { warningNotices, type RunContext } from './context';

type RetentionPlan = Extract<QueryPlan, { type: 'retention' }>;

/** Loki's default volume_max_series, used when the tenant's limits are not published. */
const DEFAULT_VOLUME_MAX_SERIES = 1000;

/**
 * The evaluation grid of a daily line count (the plan's `expr`, as Explore runs it): points at UTC
 * midnights, each counting the day before it, from the end of the first day of the range to the end
 * of its last (partial) day.
 */
export function dailyGrid(fromMs: number, toMs: number): { startMs: number; endMs: number } {
  const startMs = Math.floor(fromMs / DAY_MS) * DAY_MS + DAY_MS;
  const endMs = Math.max(Math.ceil(toMs / DAY_MS) * DAY_MS, startMs + 1);
  return { startMs, endMs };
}

const LIMITS_ENDPOINT = '/loki/api/v1/drilldown-limits';

/** Loki's retention limits for the data source's tenant, or why they cannot be known. */
async function tenantRetention(
  run: RunContext
): Promise<{ limits: RetentionLimits | { unknown: string }; tenant?: TenantLimits }> {
  let tenant: TenantLimits;
  try {
    tenant = await run.client.drilldownLimits(run.signal);
  } catch (error) {
    if (error instanceof LokiError && error.kind !== 'aborted' && error.kind !== 'cancelled') {
      return {
        limits: {
          unknown: `Loki did not answer ${LIMITS_ENDPOINT} (Loki 3.6 or later publishes the tenant's limits there): ${error.message}`,
        },
      };
    }
    throw error;
  }
  const published = tenant.limits;
  if (!Object.hasOwn(published, 'retention_period') && !Object.hasOwn(published, 'retention_stream')) {
    return {
      tenant,
      limits: {
        unknown: `Loki's ${LIMITS_ENDPOINT} does not publish retention_period or retention_stream; add them to tenant_limits_allow_publish.`,
      },
    };
  }
  try {
    return { tenant, limits: retentionLimitsOf(published, `Loki's limits for this tenant`) };
  } catch (error) {
    if (error instanceof RetentionConfigError) {
      return { tenant, limits: { unknown: error.message } };
    }
    throw error;
  }
}

/** Whether Loki's compactor deletes at all, from Loki's running configuration (`/config`), or why that is unknown. */
export async function compactorDeletes(run: RunContext): Promise<CompactorDeletes> {
  let text: string;
  try {
    text = await run.client.config(run.signal);
  } catch (error) {
    if (error instanceof LokiError && error.kind !== 'aborted' && error.kind !== 'cancelled') {
      return { unknown: `Loki did not answer /config (${error.message}).` };
    }
    throw error;
  }
  let config: unknown;
  try {
    config = parseYaml(text);
  } catch (error) {
    return { unknown: `Loki's /config is not YAML: ${(error as Error).message}` };
  }
  const compactor = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).compactor : undefined;
  const enabled = typeof compactor === 'object' && compactor !== null ? (compactor as Record<string, unknown>).retention_enabled : undefined;
  return typeof enabled === 'boolean' ? enabled : { unknown: "Loki's /config has no compactor.retention_enabled." };
}

export interface RetentionMeasurement {
  classes: ClassRetention[];
  limits: RetentionLimits | { unknown: string };
  warnings: string[];
}

/** Every class's required, configured and observed retention over the run's range, from Loki's index and limits. */
export async function measureRetention(queries: RetentionPlan['queries'], run: RunContext): Promise<RetentionMeasurement> {
  const { limits, tenant } = await tenantRetention(run);
  if (tenant?.volumeEnabled === false) {
    throw new Error(
      "Loki's volume endpoints are disabled for this tenant; set limits_config.volume_enabled: true to measure retention coverage from the index."
    );
  }
  const ruleLabels =
    'unknown' in limits ? [] : [...new Set(limits.rules.flatMap((r) => r.matchers.map((m) => m.label)))];
  const range = dayRange(run.fromMs, run.toMs);
  const maxSeries = tenant?.volumeMaxSeries ?? DEFAULT_VOLUME_MAX_SERIES;
  // As many as the index may hold: a bucket that comes back this full may have been cut.
  const limit = maxSeries;
  const classOf = (name: string): LogClass => {
    const q = queries.find((x) => x.name === name)!;
    return { name, selector: { ...q.classSelector }, retentionDays: q.requiredDays };
  };
  const results = new Map<string, ClassRetention>();
  const warnings: string[] = [];
  for (const request of buildRetentionIndexRequests(queries, ruleLabels)) {
    const answer = await run.client.volumeRangeSplit({
      query: request.selector,
      startMs: range.firstDayMs,
      // Loki's last bucket includes its end; the dashboard range does not.
      endMs: run.toMs - 1,
      stepMs: DAY_MS,
      aggregateBy: 'series',
      limit,
      maxQueryLengthMs: tenant?.maxQueryLengthMs,
      signal: run.signal,
    });
    warnings.push(...answer.warnings);
    // Loki cuts each bucket to its `limit` largest series without saying so (seriesvolume
    // MapToVolumeResponse), so a full bucket may be missing some.
    const perBucket = new Map<number, number>();
    answer.series.forEach((s) => s.values.forEach(([t]) => perBucket.set(t, (perBucket.get(t) ?? 0) + 1)));
    if (Math.max(0, ...perBucket.values()) >= limit) {
      throw new Error(
        `The index answered ${limit} stream groups for a day of ${request.selector} by (${request.labels.join(', ')}), ` +
          `Loki's volume_max_series: some may be missing. Raise limits_config.volume_max_series or split the log classes.`
      );
    }
    for (const result of evaluateRetention(request.classes.map(classOf), answer.series, limits, range)) {
      results.set(result.name, result);
    }
  }
  return { classes: queries.map((q) => results.get(q.name)!), limits, warnings: [...new Set(warnings)] };
}

export async function runRetention(plan: RetentionPlan, run: RunContext): Promise<DataFrame[]> {
  const { classes, limits, warnings } = await measureRetention(plan.queries, run);
  const lokiUid = run.settings.lokiUid;
  // The lines on either side of a gap day show when the class went silent and when it came back.
  const gapLink = (name: string, dayMs: number) => {
    const q = plan.queries.find((x) => x.name === name);
    return lokiUid && q
      ? exploreUrl(lokiUid, q.logsExpr, { from: dateTime(dayMs - DAY_MS), to: dateTime(dayMs + 2 * DAY_MS) })
      : undefined;
  };
  const frame = retentionIndexFrame(classes, run.refId, gapLink);
  const notices = [...warningNotices(warnings)];
  if ('unknown' in limits) {
    notices.push({ severity: 'warning', text: `Configured retention unknown: ${limits.unknown}` });
  }
  if (notices.length > 0) {
    frame.meta = { ...frame.meta, notices };
  }
  return [frame];
}
