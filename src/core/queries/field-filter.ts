/**
 * Filters on common-schema fields (parsed at query time), as data. The control catalog states
 * its evidence with these; the query builders turn them into escaped LogQL label filters.
 */
import { LogqlError, allOf, anyOf, eq, escapeRegex, neq, noneOf, numeric, oneOf, type LabelFilterExpr, type NumericOp, type PipelineStage } from '../logql';
import type { LoggingPolicy } from '../policy';
import type { AccessRecord } from '../schema';

export const NUMERIC_FIELDS = ['dst_port', 'status', 'duration_ms', 'bytes_in', 'bytes_out'] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];
/** Fields compared as strings (response_flags is a list in JSON and is not filterable here). */
export type StringField = Exclude<keyof AccessRecord, NumericField | 'response_flags'>;

/** Policy lists a filter may draw its values from (allowedCallers: the services it lists). */
export type PolicyList = 'strictMtlsNamespaces' | 'requiredServices' | 'allowedCallers';

export function policyListValues(list: PolicyList, policy: LoggingPolicy): string[] {
  return list === 'allowedCallers' ? Object.keys(policy.allowedCallers) : policy[list];
}

export type FieldFilter =
  | { field: StringField; is: string }
  | { field: StringField; isNot: string }
  | { field: StringField; isOneOf: readonly string[] }
  /** Also on a numeric field, as text: a line without the field is kept (it is none of them). */
  | { field: StringField | NumericField; isNoneOf: readonly string[] }
  | { field: StringField; inPolicyList: PolicyList }
  | { field: NumericField; compare: NumericOp; value: number }
  | { anyOf: readonly FieldFilter[] }
  | { allOf: readonly FieldFilter[] }
  /** A request into a service of policy.allowedCallers from a caller its list does not name. */
  | { callerNotIn: 'allowedCallers' };

/** The fields a callerNotIn filter reads: the callee and the caller as the logs name them. */
const CALLER_FIELDS = ['dst_service', 'src_workload'] as const;

/** A policy-dependent filter written out in the filters it stands for under this policy. */
function expand(filter: { callerNotIn: 'allowedCallers' }, policy: LoggingPolicy): FieldFilter {
  const entries = Object.entries(policy[filter.callerNotIn]);
  if (entries.length === 0) {
    throw new LogqlError(`policy.${filter.callerNotIn} is empty: a filter on unexpected callers needs at least one service`);
  }
  return {
    anyOf: entries.map(([service, callers]): FieldFilter =>
      callers.length === 0
        ? { field: 'dst_service', is: service }
        : { allOf: [{ field: 'dst_service', is: service }, { field: 'src_workload', isNoneOf: callers }] }
    ),
  };
}

/** The policy parts a set of filters depends on (to report an empty scope before querying). */
export function policyListsUsed(filters: readonly FieldFilter[]): PolicyList[] {
  const lists = new Set<PolicyList>();
  const visit = (filter: FieldFilter) => {
    if ('anyOf' in filter || 'allOf' in filter) {
      ('anyOf' in filter ? filter.anyOf : filter.allOf).forEach(visit);
    } else if ('inPolicyList' in filter) {
      lists.add(filter.inPolicyList);
    } else if ('callerNotIn' in filter) {
      lists.add(filter.callerNotIn);
    }
  };
  filters.forEach(visit);
  return [...lists];
}

export function fieldFilterExpr(filter: FieldFilter, policy: LoggingPolicy): LabelFilterExpr {
  if ('callerNotIn' in filter) {
    return fieldFilterExpr(expand(filter, policy), policy);
  }
  if ('anyOf' in filter) {
    return anyOf(...filter.anyOf.map((f) => fieldFilterExpr(f, policy)));
  }
  if ('allOf' in filter) {
    return allOf(...filter.allOf.map((f) => fieldFilterExpr(f, policy)));
  }
  if ('isNoneOf' in filter) {
    if (filter.isNoneOf.length === 0) {
      throw new LogqlError(`a filter on ${filter.field} excluding values needs at least one value`);
    }
    return noneOf(filter.field, [...new Set(filter.isNoneOf)]);
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
  const values = 'isOneOf' in filter ? filter.isOneOf : policyListValues(filter.inPolicyList, policy);
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
  const visit = (filter: FieldFilter): void => {
    if ('anyOf' in filter || 'allOf' in filter) {
      ('anyOf' in filter ? filter.anyOf : filter.allOf).forEach(visit);
    } else if ('callerNotIn' in filter) {
      CALLER_FIELDS.forEach((f) => fields.add(f));
    } else {
      fields.add(filter.field);
    }
  };
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
  if ('callerNotIn' in filter) {
    return verdict(expand(filter, policy), labels, policy);
  }
  if ('anyOf' in filter || 'allOf' in filter) {
    // Loki's `or` stops at the first branch that keeps the line, its `and` at the first that drops
    // it; an error on the way stays set.
    const [branches, goOn] = 'anyOf' in filter ? [filter.anyOf, 'drop' as const] : [filter.allOf, 'keep' as const];
    for (const branch of branches) {
      const v = verdict(branch, labels, policy);
      if (v !== goOn) {
        return v;
      }
    }
    return goOn;
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
  if ('isNoneOf' in filter) {
    return filter.isNoneOf.includes(text) ? 'drop' : 'keep';
  }
  const values = 'isOneOf' in filter ? filter.isOneOf : policyListValues(filter.inPolicyList, policy);
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
  if ('callerNotIn' in filter) {
    return linePattern(expand(filter, policy), policy);
  }
  if ('allOf' in filter) {
    // Any one branch's pattern is a superset of the lines all of them keep.
    return filter.allOf.map((f) => linePattern(f, policy)).find((p) => p !== null) ?? null;
  }
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
  if ('isNot' in filter || 'isNoneOf' in filter) {
    return null;
  }
  return valuesPattern(filter.field, 'isOneOf' in filter ? filter.isOneOf : policyListValues(filter.inPolicyList, policy));
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
