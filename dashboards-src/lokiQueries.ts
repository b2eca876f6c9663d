/**
 * LogQL for the panels that query Loki directly, composed from the core query builders
 * (src/core/queries: access-log query, field filters, control catalog; src/core/logql: AST and
 * renderer) so that dashboards read the same lines, parse them the same way and apply the same
 * filters as the Mesh Audit data source.
 *
 * The builders' own `StreamFilters` take literal values (escaped); dashboards need Grafana
 * variables instead, so the variable matchers (variableMatchers.ts) are added to the access
 * pipeline's stream matchers — as typed AST, still rendered by the core renderer.
 */
import {
  LogqlError,
  MS,
  allOf,
  NO_ERRORS,
  binary,
  by,
  countOverTime,
  eq,
  logQuery,
  neq,
  numeric,
  quantileOverTime,
  selector,
  sum,
  zeroFilled,
  type LabelFilterExpr,
  type LogQuery,
  type MetricExpr,
  type RangeDuration,
} from '../src/core/logql';
import type { ControlDefinition } from '../src/core/controls';
import type { LogClass, LoggingPolicy } from '../src/core/policy';
import {
  accessLogQuery,
  accessPipelines,
  fieldFiltersExpr,
  queryContext,
  RETENTION_STEP_MS,
} from '../src/core/queries';
import { FILTER_VARIABLES, variableMatchers } from './variableMatchers';

/** Follows the panel's step (Grafana substitutes it; see research/loki.md on `[$__auto]`). */
export const AUTO: RangeDuration = { grafanaVariable: '$__auto' };
/** The whole dashboard time range, for instant queries in stat tiles. */
export const WHOLE_RANGE: RangeDuration = { grafanaVariable: '$__range' };

/**
 * The provisioned data source reads normalised common-schema JSON (logSourceMode `normalized`
 * in provisioning/grafana/datasources/mesh-audit.yaml), so dashboards do too.
 */
const ctx = queryContext({ source: { kind: 'normalized' } });

/** Access-log lines under the dashboard variables, parsed, with optional field filters. */
export function accessLines(fieldFilters: ReadonlyArray<LabelFilterExpr | null> = []): LogQuery {
  const pipelines = accessPipelines(ctx);
  if (pipelines.length !== 1) {
    throw new LogqlError('dashboards expect one access pipeline (normalised logs)');
  }
  const [pipeline] = pipelines;
  const withVariables = { ...pipeline, matchers: [...pipeline.matchers, ...variableMatchers(FILTER_VARIABLES)] };
  return accessLogQuery(ctx, withVariables, {}, fieldFilters);
}

/**
 * With no grouping asked for, group by the log-type label: the selector pins it to one value,
 * so the result is ONE series. Leaving `by` out would keep every parsed field as a label.
 */
const grouping = (labels: readonly string[]) => by(...(labels.length > 0 ? labels : [ctx.labels.logType]));

/**
 * Golden signals count each request once, as its callee's proxy reported it (Kiali's "destination
 * reporter"): both proxies of a meshed hop log the request, and only the callee's line knows the
 * TLS state. Lines that do not say which side wrote them count too.
 */
const CALLEE_REPORTS: LabelFilterExpr = neq('direction', 'outbound');

const requests = (filter: LabelFilterExpr | null, groupBy: readonly string[], range: RangeDuration) =>
  sum(countOverTime(accessLines([CALLEE_REPORTS, filter]), range), grouping(groupBy));

/** `matching / all`, 0 (not missing) where there was traffic but nothing matched. */
const share = (
  match: LabelFilterExpr,
  scope: LabelFilterExpr | null,
  groupBy: readonly string[],
  range: RangeDuration
) => {
  const all = requests(scope, groupBy, range);
  const matched = requests(scope ? allOf(scope, match) : match, groupBy, range);
  return binary('/', zeroFilled(matched, all), all);
};

export function requestRate(groupBy: readonly string[], range: RangeDuration): MetricExpr {
  return sum({ kind: 'logRange', fn: 'rate', query: accessLines([CALLEE_REPORTS]), range }, grouping(groupBy));
}

/** 5xx share of HTTP responses (TCP has no status and stays out, as in control CC7.2). */
export function errorShare(groupBy: readonly string[], range: RangeDuration): MetricExpr {
  return share(numeric('status', '>=', 500), numeric('status', '>', 0), groupBy, range);
}

export function latencyP95(groupBy: readonly string[], range: RangeDuration): MetricExpr {
  return quantileOverTime(0.95, accessLines([CALLEE_REPORTS]), { label: 'duration_ms', after: [NO_ERRORS] }, range, grouping(groupBy));
}

/** Share of requests with mTLS; `unknown` counts against it, as in control CC6.7. */
export function mtlsShare(groupBy: readonly string[], range: RangeDuration): MetricExpr {
  return share(eq('mtls', 'mtls'), null, groupBy, range);
}

/** The lines behind a control (its evidence population), e.g. the non-mTLS requests for CC6.7. */
export function controlEvidenceLines(control: ControlDefinition, policy: LoggingPolicy): LogQuery {
  return accessLines([fieldFiltersExpr(control.evidenceLogs, policy)]);
}

export function controlEvidenceCount(
  control: ControlDefinition,
  policy: LoggingPolicy,
  range: RangeDuration
): MetricExpr {
  return sum(countOverTime(controlEvidenceLines(control, policy), range), grouping([]));
}

/**
 * A log class's streams under the dashboard variables: the class's own label selector, as
 * `buildRetentionQueries` builds it, plus the variable matchers (both must hold). Stream
 * labels only, no parsing, so a day-by-day count over months stays cheap.
 */
function classStreams(logClass: LogClass): LogQuery {
  const classMatchers = Object.entries(logClass.selector).map(([label, value]) => eq(label, value));
  return logQuery(selector(...classMatchers, ...variableMatchers(FILTER_VARIABLES)));
}

/** Lines per day for a log class (`[1d]` buckets; run with a 1-day step). */
export function classDailyLines(logClass: LogClass): MetricExpr {
  return sum(countOverTime(classStreams(logClass), RETENTION_STEP_MS));
}

/** Bytes per day for a log class. */
export function classDailyBytes(logClass: LogClass): MetricExpr {
  return sum({ kind: 'logRange', fn: 'bytes_over_time', query: classStreams(logClass), range: RETENTION_STEP_MS });
}

/** The daily step as a Grafana interval string (`1d`), for the panels that show daily buckets. */
export const DAILY_INTERVAL = `${RETENTION_STEP_MS / MS.d}d`;
