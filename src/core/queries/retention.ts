/**
 * Retention: per log class, its stream selector and required days. The data source observes
 * coverage from Loki's index with these selectors (retention-index.ts); `expr`, the daily line
 * count, is the same question in LogQL, for Explore and for the CLI, and is not what the data
 * source sends: scanning every line of a year costs hours where the index answers in milliseconds.
 */
import { LogqlError, MS, countOverTime, eq, logQuery, renderLogql, selector, sum, type LabelMatcher } from '../logql';
import type { LogClass, LoggingPolicy } from '../policy';
import type { LabelNames, StreamFilters } from '../query';
import { filterMatchers } from './context';

export const RETENTION_STEP_MS = MS.d;

export interface RetentionQuery {
  /** The log class name. */
  name: string;
  /** The daily line count over the class's streams (Explore, CLI); the data source reads the index instead. */
  expr: string;
  /** The class's own label matchers, before stream filters narrow them. */
  classSelector: Readonly<Record<string, string>>;
  /** Stream filters (namespace, cluster, platform) as matchers, already in `expr`. */
  filterMatchers: LabelMatcher[];
  /** The class's lines (filters applied), for an Explore link to the lines around a gap day. */
  logsExpr: string;
  /** Evaluate as a range query with this step (1 day); the bucket `[1d]` matches it. */
  stepMs: number;
  requiredDays: number;
}

function classQuery(logClass: LogClass, filters: StreamFilters, labels: LabelNames): RetentionQuery {
  const entries = Object.entries(logClass.selector);
  if (entries.length === 0) {
    throw new LogqlError(`log class ${JSON.stringify(logClass.name)} has an empty selector; give it at least one label`);
  }
  // Namespace/cluster/platform filters narrow the class; `service` is not a stream label and is ignored.
  const filtersAsMatchers = filterMatchers(filters, labels);
  const sel = selector(...entries.map(([label, value]) => eq(label, value)), ...filtersAsMatchers);
  return {
    name: logClass.name,
    expr: renderLogql(sum(countOverTime(logQuery(sel), RETENTION_STEP_MS))),
    classSelector: { ...logClass.selector },
    logsExpr: renderLogql(logQuery(sel)),
    filterMatchers: filtersAsMatchers,
    stepMs: RETENTION_STEP_MS,
    requiredDays: logClass.retentionDays,
  };
}

/** Queries for the named classes (empty = every class in the policy). */
export function buildRetentionQueries(
  classNames: readonly string[],
  filters: StreamFilters,
  policy: LoggingPolicy,
  labels: LabelNames
): RetentionQuery[] {
  const classes =
    classNames.length === 0
      ? policy.logClasses
      : classNames.map((name) => {
          const found = policy.logClasses.find((c) => c.name === name);
          if (!found) {
            throw new LogqlError(
              `unknown log class ${JSON.stringify(name)}; the policy defines: ${policy.logClasses.map((c) => c.name).join(', ') || '(none)'}`
            );
          }
          return found;
        });
  return classes.map((logClass) => classQuery(logClass, filters, labels));
}

/** One class's line count over the last `rangeMs`: none means the class stopped receiving logs. */
export interface ClassSilenceQuery {
  name: string;
  expr: string;
  rangeMs: number;
}

/**
 * For alert rules, which run in Grafana's backend on the Loki data source: a short count over the
 * class's streams. A window of minutes keeps it cheap where the coverage over a year uses the index.
 */
export function buildClassSilenceQueries(policy: LoggingPolicy, labels: LabelNames, rangeMs: number): ClassSilenceQuery[] {
  return buildRetentionQueries([], {}, policy, labels).map((q) => {
    const sel = selector(...Object.entries(q.classSelector).map(([label, value]) => eq(label, value)));
    return { name: q.name, expr: renderLogql(sum(countOverTime(logQuery(sel), rangeMs))), rangeMs };
  });
}
