/**
 * Retention: per log class, daily line counts over the audit window. Run each as a range query
 * with step = 1d; a day with no value is a gap. Only stream labels are used (no parsing), so it
 * stays cheap over long windows; the data source still splits by Loki's max_query_length.
 */
import { LogqlError, MS, countOverTime, eq, logQuery, renderLogql, selector, sum } from '../logql';
import type { LogClass, LoggingPolicy } from '../policy';
import type { LabelNames, StreamFilters } from '../query';
import { filterMatchers } from './context';

export const RETENTION_STEP_MS = MS.d;

export interface RetentionQuery {
  /** The log class name. */
  name: string;
  expr: string;
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
  const sel = selector(...entries.map(([label, value]) => eq(label, value)), ...filterMatchers(filters, labels));
  return {
    name: logClass.name,
    expr: renderLogql(sum(countOverTime(logQuery(sel), RETENTION_STEP_MS))),
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
