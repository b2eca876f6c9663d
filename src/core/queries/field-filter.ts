/**
 * Filters on common-schema fields (parsed at query time), as data. The control catalog states
 * its evidence with these; the query builders turn them into escaped LogQL label filters.
 */
import { LogqlError, allOf, anyOf, eq, neq, numeric, oneOf, type LabelFilterExpr, type NumericOp } from '../logql';
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
