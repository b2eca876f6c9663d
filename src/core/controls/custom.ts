/**
 * Controls an organisation adds through its policy (`controls:` in policy.yaml, or the data
 * source's jsonData.policy): the same data as a catalog entry, checked here once, so that a typo
 * is a message naming the key and never a control that silently measures something else. Only the
 * kinds whose meaning is generic are open to them (`share` and `count` over common-schema fields,
 * measured from the controls' counts table like the catalog's own); the other kinds rest on code.
 */
import {
  NUMERIC_FIELDS,
  type FieldFilter,
  type NumericField,
  type PolicyList,
  type StringField,
} from '../queries/field-filter';
import type { NumericOp } from '../logql';
import { RECORD_FIELDS } from '../schema';
import type { ControlDefinition, ControlEvidence, PassCondition, ThresholdRef } from './types';

type Fail = (message: string) => never;
type Doc = Record<string, unknown>;

const isRecord = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);

const NUMERIC = new Set<string>(NUMERIC_FIELDS);
const STRING_FIELDS = new Set<string>(RECORD_FIELDS.filter((f) => !NUMERIC.has(f) && f !== 'response_flags'));
const OPS: readonly NumericOp[] = ['==', '!=', '>', '>=', '<', '<='];
const LISTS: readonly PolicyList[] = ['strictMtlsNamespaces', 'requiredServices', 'allowedCallers'];
/** The Trust Services Criteria numbering (AICPA TSP section 100): CC1.1–CC9.2, A1.x, C1.x, PI1.x, P1.x–P8.x. */
const CRITERION = /^(?:CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9]$/;
const ID = /^[A-Z]+[0-9]*\.[0-9]+-[a-z0-9]+(?:-[a-z0-9]+)*$/;

function keysOnly(doc: Doc, allowed: readonly string[], where: string, fail: Fail): void {
  for (const key of Object.keys(doc)) {
    if (!allowed.includes(key)) {
      fail(`unknown key "${where}.${key}" (expected one of ${allowed.join(', ')})`);
    }
  }
}

function text(value: unknown, where: string, fail: Fail): string {
  return typeof value === 'string' && value.trim() !== '' ? value : fail(`"${where}" must be a non-empty string`);
}

function strings(value: unknown, where: string, fail: Fail): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
    return fail(`"${where}" must be a non-empty list of strings`);
  }
  return [...(value as string[])];
}

function stringField(value: unknown, where: string, fail: Fail): StringField {
  return typeof value === 'string' && STRING_FIELDS.has(value)
    ? (value as StringField)
    : fail(`"${where}" must be one of the text fields ${[...STRING_FIELDS].join(', ')}`);
}

function anyField(value: unknown, where: string, fail: Fail): StringField | NumericField {
  return typeof value === 'string' && NUMERIC.has(value) ? (value as NumericField) : stringField(value, where, fail);
}

export function readFieldFilter(value: unknown, where: string, fail: Fail): FieldFilter {
  if (!isRecord(value)) {
    return fail(`"${where}" must be a filter mapping`);
  }
  const list = (key: 'anyOf' | 'allOf') => {
    keysOnly(value, [key], where, fail);
    const items = value[key];
    if (!Array.isArray(items) || items.length === 0) {
      return fail(`"${where}.${key}" must be a non-empty list of filters`);
    }
    return items.map((f, i) => readFieldFilter(f, `${where}.${key}[${i}]`, fail));
  };
  if ('anyOf' in value) {
    return { anyOf: list('anyOf') };
  }
  if ('allOf' in value) {
    return { allOf: list('allOf') };
  }
  if ('callerNotIn' in value) {
    keysOnly(value, ['callerNotIn'], where, fail);
    return value.callerNotIn === 'allowedCallers'
      ? { callerNotIn: 'allowedCallers' }
      : fail(`"${where}.callerNotIn" must be allowedCallers`);
  }
  const [op] = ['is', 'isNot', 'isOneOf', 'isNoneOf', 'inPolicyList', 'compare'].filter((k) => k in value);
  if (op === undefined) {
    return fail(
      `"${where}" needs one of is, isNot, isOneOf, isNoneOf, inPolicyList, compare (with value), anyOf, allOf, callerNotIn`
    );
  }
  keysOnly(value, op === 'compare' ? ['field', 'compare', 'value'] : ['field', op], where, fail);
  switch (op) {
    case 'is':
      return { field: stringField(value.field, `${where}.field`, fail), is: text(value.is, `${where}.is`, fail) };
    case 'isNot':
      return {
        field: stringField(value.field, `${where}.field`, fail),
        isNot: text(value.isNot, `${where}.isNot`, fail),
      };
    case 'isOneOf':
      return {
        field: stringField(value.field, `${where}.field`, fail),
        isOneOf: strings(value.isOneOf, `${where}.isOneOf`, fail),
      };
    case 'isNoneOf':
      return {
        field: anyField(value.field, `${where}.field`, fail),
        isNoneOf: strings(value.isNoneOf, `${where}.isNoneOf`, fail),
      };
    case 'inPolicyList': {
      const listName =
        LISTS.find((l) => l === value.inPolicyList) ??
        fail(`"${where}.inPolicyList" must be one of ${LISTS.join(', ')}`);
      return { field: stringField(value.field, `${where}.field`, fail), inPolicyList: listName };
    }
    default: {
      const field =
        typeof value.field === 'string' && NUMERIC.has(value.field)
          ? (value.field as NumericField)
          : fail(`"${where}.field" must be one of the numeric fields ${NUMERIC_FIELDS.join(', ')}`);
      const compare =
        OPS.find((o) => o === value.compare) ?? fail(`"${where}.compare" must be one of ${OPS.join(' ')}`);
      const number =
        typeof value.value === 'number' && Number.isFinite(value.value)
          ? value.value
          : fail(`"${where}.value" must be a number`);
      return { field, compare, value: number };
    }
  }
}

function filters(value: unknown, where: string, fail: Fail, nonEmpty: boolean): FieldFilter[] {
  if (!Array.isArray(value) || (nonEmpty && value.length === 0)) {
    return fail(`"${where}" must be a ${nonEmpty ? 'non-empty ' : ''}list of filters`);
  }
  return value.map((f, i) => readFieldFilter(f, `${where}[${i}]`, fail));
}

function evidenceOf(value: unknown, where: string, fail: Fail): ControlEvidence {
  if (!isRecord(value) || (value.kind !== 'share' && value.kind !== 'count')) {
    return fail(`"${where}.kind" must be share or count (the other kinds rest on code)`);
  }
  if (value.kind === 'count') {
    keysOnly(value, ['kind', 'match', 'scope'], where, fail);
    return {
      kind: 'count',
      match: filters(value.match, `${where}.match`, fail, true),
      ...(value.scope === undefined ? {} : { scope: filters(value.scope, `${where}.scope`, fail, true) }),
    };
  }
  keysOnly(value, ['kind', 'match', 'scope', 'groupBy', 'reduce'], where, fail);
  const groupBy =
    value.groupBy === undefined
      ? undefined
      : strings(value.groupBy, `${where}.groupBy`, fail).map((f, i) => anyField(f, `${where}.groupBy[${i}]`, fail));
  const reduce =
    value.reduce === undefined
      ? undefined
      : value.reduce === 'max' || value.reduce === 'min'
        ? value.reduce
        : fail(`"${where}.reduce" must be max or min`);
  if (groupBy && !reduce) {
    fail(`"${where}" groups by ${groupBy.join(', ')} and so needs reduce (max or min) to be one value`);
  }
  return {
    kind: 'share',
    match: filters(value.match, `${where}.match`, fail, true),
    scope: filters(value.scope ?? [], `${where}.scope`, fail, false),
    ...(groupBy ? { groupBy } : {}),
    ...(reduce ? { reduce } : {}),
  };
}

function passOf(value: unknown, where: string, thresholds: readonly string[], fail: Fail): PassCondition {
  const side =
    isRecord(value) && Object.keys(value).length === 1
      ? (['atLeast', 'atMost'] as const).find((k) => k in value)
      : undefined;
  if (!side) {
    return fail(`"${where}" must be { atLeast: ... } or { atMost: ... }`);
  }
  const ref = (value as Doc)[side];
  let threshold: ThresholdRef;
  if (isRecord(ref) && typeof ref.value === 'number' && Number.isFinite(ref.value) && Object.keys(ref).length === 1) {
    threshold = { value: ref.value };
  } else if (
    isRecord(ref) &&
    typeof ref.policy === 'string' &&
    thresholds.includes(ref.policy) &&
    Object.keys(ref).length === 1
  ) {
    threshold = { policy: ref.policy as never };
  } else {
    return fail(`"${where}.${side}" must be { value: <number> } or { policy: <one of ${thresholds.join(', ')}> }`);
  }
  return side === 'atLeast' ? { atLeast: threshold } : { atMost: threshold };
}

/** The policy's own controls, checked; none may take a catalog control's id or another's. */
export function readCustomControls(
  value: unknown,
  builtInIds: readonly string[],
  thresholds: readonly string[],
  fail: Fail
): ControlDefinition[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    return fail('"controls" must be a list of control definitions');
  }
  const ids = new Set(builtInIds);
  return value.map((c, i): ControlDefinition => {
    const where = `controls[${i}]`;
    if (!isRecord(c)) {
      return fail(`"${where}" must be a mapping`);
    }
    keysOnly(
      c,
      ['id', 'criterion', 'title', 'description', 'measure', 'evidence', 'pass', 'evidenceLogs'],
      where,
      fail
    );
    const criterion =
      typeof c.criterion === 'string' && CRITERION.test(c.criterion)
        ? c.criterion
        : fail(`"${where}.criterion" must be a Trust Services Criterion such as CC6.1 or A1.2`);
    const id = text(c.id, `${where}.id`, fail);
    if (!ID.test(id) || !id.startsWith(`${criterion}-`)) {
      fail(`"${where}.id" must be ${criterion}-<lowercase-words>, got ${JSON.stringify(id)}`);
    }
    if (ids.has(id)) {
      fail(`"${where}.id" ${id} is already a control`);
    }
    ids.add(id);
    return {
      id,
      criterion,
      title: text(c.title, `${where}.title`, fail),
      description: text(c.description, `${where}.description`, fail),
      measure: text(c.measure, `${where}.measure`, fail),
      evidence: evidenceOf(c.evidence, `${where}.evidence`, fail),
      pass: passOf(c.pass, `${where}.pass`, thresholds, fail),
      // A population to sample is required: no filter at all would hand over every access line.
      evidenceLogs: filters(c.evidenceLogs, `${where}.evidenceLogs`, fail, true),
    };
  });
}
