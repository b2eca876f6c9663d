/**
 * Filters on common-schema fields (parsed at query time), as data. The control catalog states
 * its evidence with these; the query builders turn them into escaped LogQL label filters.
 */
import { LogqlError, allOf, anyOf, eq, escapeRegex, neq, numeric, oneOf, type LabelFilterExpr, type NumericOp, type PipelineStage } from '../logql';
import type { LoggingPolicy } from '../policy';
import type { AccessRecord } from '../schema';

export const NUMERIC_FIELDS = ['dst_port', 'status', 'duration_ms', 'bytes_in', 'bytes_out'] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];
/** Fields compared as strings (response_flags is a list in JSON and is not filterable here). */
export type StringField = Exclude<keyof AccessRecord, NumericField | 'response_flags'>;

/** Policy lists a filter may draw its values from. */
export type PolicyList = 'strictMtlsNamespaces' | 'requiredServices';

export type FieldFilter =
  | { field: StringField; is: string }
  | { field: StringField; isNot: string }
  | { field: StringField; isOneOf: readonly string[] }
  | { field: StringField; inPolicyList: PolicyList }
  | { field: NumericField; compare: NumericOp; value: number }
  | { anyOf: readonly FieldFilter[] };

/** The policy lists a set of filters depends on (to report an empty scope before querying). */
export function policyListsUsed(filters: readonly FieldFilter[]): PolicyList[] {
  const lists = new Set<PolicyList>();
  const visit = (filter: FieldFilter) => {
    if ('anyOf' in filter) {
      filter.anyOf.forEach(visit);
    } else if ('inPolicyList' in filter) {
      lists.add(filter.inPolicyList);
    }
  };
  filters.forEach(visit);
  return [...lists];
}

export function fieldFilterExpr(filter: FieldFilter, policy: LoggingPolicy): LabelFilterExpr {
  if ('anyOf' in filter) {
    return anyOf(...filter.anyOf.map((f) => fieldFilterExpr(f, policy)));
  }
  if ('compare' in filter) {
    return numeric(filter.field, filter.compare, filter.value);
  }
  if ('is' in filter) {
    return eq(filter.field, filter.is);
  }
  if ('isNot' in filter) {
    return neq(filter.field, filter.isNot);
  }
  const values = 'isOneOf' in filter ? filter.isOneOf : policy[filter.inPolicyList];
  if (values.length === 0) {
    const source = 'inPolicyList' in filter ? `policy.${filter.inPolicyList}` : 'the filter';
    throw new LogqlError(`${source} is empty: a filter on ${filter.field} needs at least one value`);
  }
  return oneOf(filter.field, [...new Set(values)]);
}

/** All filters joined with `and`, or none. */
export function fieldFiltersExpr(filters: readonly FieldFilter[], policy: LoggingPolicy): LabelFilterExpr | null {
  if (filters.length === 0) {
    return null;
  }
  return allOf(...filters.map((f) => fieldFilterExpr(f, policy)));
}

/** Every field a set of filters reads. */
export function fieldsUsed(filters: readonly FieldFilter[]): string[] {
  const fields = new Set<string>();
  const visit = (filter: FieldFilter) => ('anyOf' in filter ? filter.anyOf.forEach(visit) : fields.add(filter.field));
  filters.forEach(visit);
  return [...fields];
}

/**
 * Loki's verdict on a line: kept, filtered out, or marked with `__error__` (a numeric comparison
 * on a value that is not a number), which the queries' final `__error__=""` drops whatever the
 * other filters said.
 */
type Verdict = 'keep' | 'drop' | 'error';

/** What Go's strconv.ParseFloat accepts for the values a log field carries (Loki parses numeric filters with it). */
const GO_FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;

const NUMERIC_OPS: Record<NumericOp, (a: number, b: number) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

function verdict(filter: FieldFilter, labels: Readonly<Record<string, string>>, policy: LoggingPolicy): Verdict {
  if ('anyOf' in filter) {
    // Loki's `or` stops at the first branch that keeps the line; an error on the way stays set.
    for (const branch of filter.anyOf) {
      const v = verdict(branch, labels, policy);
      if (v !== 'drop') {
        return v;
      }
    }
    return 'drop';
  }
  const value = labels[filter.field];
  if ('compare' in filter) {
    // A series has no empty labels, so an absent label is either missing on the line (Loki: not
    // kept) or empty (Loki: an error, dropped): either way the line is not counted.
    if (value === undefined || value === '') {
      return 'drop';
    }
    if (!GO_FLOAT.test(value)) {
      return 'error';
    }
    return NUMERIC_OPS[filter.compare](Number(value.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity')), filter.value) ? 'keep' : 'drop';
  }
  const text = value ?? '';
  if ('is' in filter) {
    return text === filter.is ? 'keep' : 'drop';
  }
  if ('isNot' in filter) {
    return text !== filter.isNot ? 'keep' : 'drop';
  }
  const values = 'isOneOf' in filter ? filter.isOneOf : policy[filter.inPolicyList];
  return values.includes(text) ? 'keep' : 'drop';
}

/**
 * Whether a series of `sum by (<fields>)` counts requests the filters keep: the same answer the
 * filters give in LogQL (fieldFiltersExpr), so one grouped count can stand for many filtered
 * ones. `labels` must carry every field the filters read (fieldsUsed).
 */
export function filtersKeep(filters: readonly FieldFilter[], labels: Readonly<Record<string, string>>, policy: LoggingPolicy): boolean {
  return filters.every((filter) => verdict(filter, labels, policy) === 'keep');
}

/** Values every JSON encoder writes as they are (no escapes), so their text is in the line. */
const JSON_VERBATIM = /^[A-Za-z0-9_.:/@+-]+$/;

function valuesPattern(field: string, values: readonly string[]): string | null {
  // An empty value also matches a line without the field, which no text pattern finds.
  if (values.length === 0 || !values.every((v) => JSON_VERBATIM.test(v))) {
    return null;
  }
  const unique = [...new Set(values)].map(escapeRegex);
  return `"${field}":\\s*"${unique.length === 1 ? unique[0] : `(?:${unique.join('|')})`}"`;
}

function numericPattern(field: string, op: NumericOp, value: number): string | null {
  if (!Number.isSafeInteger(value) || value < 0) {
    return null;
  }
  const lead = `"${field}":\\s*"?0*`;
  if (op === '==') {
    return `${lead}${value}[^0-9]`;
  }
  // `>= d00` for one digit d: a three-digit number from d00 up, or any longer one.
  if (op === '>=' && value >= 100 && value <= 900 && value % 100 === 0) {
    return `${lead}(?:[${value / 100}-9][0-9]{2}|[1-9][0-9]{3,})`;
  }
  return null;
}

function linePattern(filter: FieldFilter, policy: LoggingPolicy): string | null {
  if ('anyOf' in filter) {
    const branches = filter.anyOf.map((f) => linePattern(f, policy));
    return branches.every((b) => b !== null) ? branches.map((b) => `(?:${b})`).join('|') : null;
  }
  if ('compare' in filter) {
    return numericPattern(filter.field, filter.compare, filter.value);
  }
  if ('is' in filter) {
    return valuesPattern(filter.field, [filter.is]);
  }
  if ('isNot' in filter) {
    return null;
  }
  return valuesPattern(filter.field, 'isOneOf' in filter ? filter.isOneOf : policy[filter.inPolicyList]);
}

/**
 * Line filters that keep at least every normalised JSON line the filters keep, to run before the
 * parser: a regex on the line costs a fraction of `| json`, and rare evidence (denials, 5xx) then
 * parses only its own lines. The label filters after the parser stay the exact test. Raw lines are
 * not the record's text, so only the normalised pipeline uses them (context.ts withLineFilters).
 */
export function recordLineFilters(filters: readonly FieldFilter[], policy: LoggingPolicy): PipelineStage[] {
  return filters
    .map((f) => linePattern(f, policy))
    .filter((p): p is string => p !== null)
    .map((pattern) => ({ kind: 'lineFilter', op: '|~', regex: { pattern } }));
}
