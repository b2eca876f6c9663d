/**
 * LogQL ASTs for the Loki-direct panels, with the dashboard variables as stream matchers.
 * TEMPORARY: built from src/core/logql primitives until src/core/queries lands; then this file
 * delegates to those builders so dashboards, alert rules and the data source share one source.
 */
import {
  MS,
  NO_ERRORS,
  binary,
  by,
  countOverTime,
  eq,
  json,
  labelFilter,
  logQuery,
  numeric,
  quantileOverTime,
  selector,
  sum,
  zeroFilled,
  type Grouping,
  type LogQuery,
  type MetricExpr,
  type RangeDuration,
} from '../src/core/logql';
import { DEFAULT_LABEL_NAMES } from '../src/core/query';
import { FILTER_VARIABLES, variableMatchers } from './variableMatchers';

/** Grafana picks the step from the panel width and time range; `[$__auto]` follows it. */
export const AUTO_RANGE: RangeDuration = { grafanaVariable: '$__auto' };
export const DAY_RANGE: RangeDuration = MS.d;

function accessLogs(...extra: Parameters<typeof logQuery>[1][]): LogQuery {
  return logQuery(
    selector(eq(DEFAULT_LABEL_NAMES.logType, 'access'), ...variableMatchers(FILTER_VARIABLES)),
    json(),
    labelFilter(NO_ERRORS),
    ...extra
  );
}

const grouped = (labels: string[]): Grouping | undefined => (labels.length > 0 ? by(...labels) : undefined);

export function requestRate(groupBy: string[] = [], range: RangeDuration = AUTO_RANGE): MetricExpr {
  return sum({ kind: 'logRange', fn: 'rate', query: accessLogs(), range }, grouped(groupBy));
}

export function errorShare(groupBy: string[] = [], range: RangeDuration = AUTO_RANGE): MetricExpr {
  const errors = sum(countOverTime(accessLogs(labelFilter(numeric('status', '>=', 500))), range), grouped(groupBy));
  const all = sum(countOverTime(accessLogs(), range), grouped(groupBy));
  return binary('/', zeroFilled(errors, all), all);
}

export function latencyP95(groupBy: string[] = [], range: RangeDuration = AUTO_RANGE): MetricExpr {
  return quantileOverTime(0.95, accessLogs(), { label: 'duration_ms', after: [NO_ERRORS] }, range, grouped(groupBy));
}

export function mtlsShare(groupBy: string[] = [], range: RangeDuration = AUTO_RANGE): MetricExpr {
  const mtls = sum(countOverTime(accessLogs(labelFilter(eq('mtls', 'mtls'))), range), grouped(groupBy));
  const all = sum(countOverTime(accessLogs(), range), grouped(groupBy));
  return binary('/', zeroFilled(mtls, all), all);
}
