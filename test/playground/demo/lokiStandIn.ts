/**
 * A stand-in for Loki, FOR THE PLAYGROUND ONLY. The playground has no Loki, so the demo
 * aggregates loggen's normalised records in the browser exactly as the suite's LogQL would
 * aggregate them in Loki (`sum by (...) (count_over_time(...))`, `quantile_over_time(... | unwrap
 * ...)`, label filters), and hands the results to the data source's own frame builders. In
 * production every aggregation runs in Loki (DESIGN.md: "Heavy aggregation happens in Loki");
 * nothing here is used by the plugins.
 *
 * Label semantics follow Loki/Prometheus: a missing label and an empty one are the same, a
 * numeric filter on a missing or non-numeric value does not match (Loki drops the line with an
 * `__error__`, which the queries filter out with `__error__=""`).
 */
import type { VectorSample } from '../../../src/core/loki/types';
import type { LoggingPolicy } from '../../../src/core/policy';
import type { FieldFilter } from '../../../src/core/queries/field-filter';
import type { AccessRecord } from '../../../src/core/schema';

/** One log line as a LogQL metric query sees it after `| json`: stream labels plus parsed fields. */
export interface LokiEntry {
  timeMs: number;
  /** Stream labels (platform, cluster, mesh, namespace, log_type). */
  stream: Record<string, string>;
  /** Stream labels and the record's fields as label values (null and lists left out). */
  labels: Record<string, string>;
}

/**
 * What `| json` makes of a common-schema record on a stream: every scalar field becomes a label;
 * a field whose name is already a stream label becomes `<name>_extracted`, as in Loki.
 */
export function lokiEntry(timeMs: number, stream: Record<string, string>, record: AccessRecord): LokiEntry {
  const labels: Record<string, string> = { ...stream };
  for (const [key, value] of Object.entries(record)) {
    if (value === null || Array.isArray(value)) {
      continue;
    }
    labels[key in stream ? `${key}_extracted` : key] = String(value);
  }
  return { timeMs, stream, labels };
}

const label = (entry: LokiEntry, name: string): string => entry.labels[name] ?? '';

function numericLabel(entry: LokiEntry, name: string): number | null {
  const raw = entry.labels[name];
  if (raw === undefined || raw === '') {
    return null;
  }
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

/** One catalog field filter, with the meaning `fieldFilterExpr` gives it in LogQL. */
export function matchesFilter(entry: LokiEntry, filter: FieldFilter, policy: LoggingPolicy): boolean {
  if ('anyOf' in filter) {
    return filter.anyOf.some((f) => matchesFilter(entry, f, policy));
  }
  if ('compare' in filter) {
    const v = numericLabel(entry, filter.field);
    if (v === null) {
      return false;
    }
    switch (filter.compare) {
      case '==':
        return v === filter.value;
      case '!=':
        return v !== filter.value;
      case '>':
        return v > filter.value;
      case '>=':
        return v >= filter.value;
      case '<':
        return v < filter.value;
      case '<=':
        return v <= filter.value;
    }
  }
  const value = label(entry, filter.field);
  if ('is' in filter) {
    return value === filter.is;
  }
  if ('isNot' in filter) {
    return value !== filter.isNot;
  }
  const values = 'isOneOf' in filter ? filter.isOneOf : policy[filter.inPolicyList];
  return values.includes(value);
}

export const matchesAll = (entry: LokiEntry, filters: readonly FieldFilter[], policy: LoggingPolicy) =>
  filters.every((f) => matchesFilter(entry, f, policy));

function groupKey(entry: LokiEntry, keys: readonly string[]): string {
  return JSON.stringify(keys.map((k) => label(entry, k)));
}

function groupMetric(entry: LokiEntry, keys: readonly string[]): Record<string, string> {
  const metric: Record<string, string> = {};
  for (const k of keys) {
    const v = label(entry, k);
    // Prometheus drops empty labels from a result's metric.
    if (v !== '') {
      metric[k] = v;
    }
  }
  return metric;
}

/** `sum by (keys) (count_over_time({...} | <where> [range]))` as an instant query at `timeMs`. */
export function sumCountBy(entries: readonly LokiEntry[], keys: readonly string[], where: (e: LokiEntry) => boolean, timeMs: number): VectorSample[] {
  const groups = new Map<string, VectorSample>();
  for (const entry of entries) {
    if (!where(entry)) {
      continue;
    }
    const key = groupKey(entry, keys);
    const sample = groups.get(key);
    if (sample) {
      sample.value++;
    } else {
      groups.set(key, { metric: groupMetric(entry, keys), timeMs, value: 1 });
    }
  }
  return [...groups.values()];
}

/** Prometheus' φ-quantile (linear interpolation between ranks), as Loki's quantile_over_time computes it. */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(sorted.length - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower] * (1 - weight) + sorted[upper] * weight;
}

/** `quantile_over_time(q, {...} | unwrap <field> | __error__="" [range]) by (keys)`. */
export function quantileBy(q: number, entries: readonly LokiEntry[], field: string, keys: readonly string[], timeMs: number): VectorSample[] {
  const groups = new Map<string, { metric: Record<string, string>; values: number[] }>();
  for (const entry of entries) {
    const v = numericLabel(entry, field);
    if (v === null) {
      continue; // unwrap fails: __error__ set, the line is dropped
    }
    const key = groupKey(entry, keys);
    const group = groups.get(key) ?? { metric: groupMetric(entry, keys), values: [] };
    group.values.push(v);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ metric: g.metric, timeMs, value: quantile(q, g.values) }));
}
