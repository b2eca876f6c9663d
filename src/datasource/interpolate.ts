import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import type { StreamFilters } from '../core/query';
import type { MeshAuditQuery } from './types';

/** A multi-value variable inside a value expands to one value per choice; this caps the product. */
export const MAX_EXPANDED_VALUES = 500;

/** Values Grafana uses for "All" with a custom all-value: they mean "no filter", never a literal. */
const MATCH_ANY = new Set(['$__all', '.*', '.+', '*']);

const SLOT = /\u0000(\d+)\u0000/;

export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterpolationError';
  }
}

/**
 * Replaces dashboard variables in ONE value of the query model, never in LogQL text. Each variable's
 * value(s) come back through a format callback, so a value such as `"} |= "x` stays a literal
 * string that the LogQL builder escapes; a multi-value variable expands into a list.
 */
export function expandValue(value: string, templateSrv: TemplateSrv, scopedVars?: ScopedVars): string[] {
  if (value.includes('\u0000')) {
    throw new InterpolationError('A filter value contains a NUL character; remove it.');
  }
  const captured: string[][] = [];
  const template = templateSrv.replace(value, scopedVars, (v: unknown) => {
    const values = Array.isArray(v) ? v.map(String) : [v === undefined || v === null ? '' : String(v)];
    captured.push(values);
    return `\u0000${captured.length - 1}\u0000`;
  });
  let results = [''];
  let rest = template;
  for (let m = SLOT.exec(rest); m; m = SLOT.exec(rest)) {
    const literal = rest.slice(0, m.index);
    const choices = captured[Number(m[1])];
    const next: string[] = [];
    for (const prefix of results) {
      for (const choice of choices) {
        next.push(prefix + literal + choice);
      }
    }
    if (next.length > MAX_EXPANDED_VALUES) {
      throw new InterpolationError(
        `"${value}" expands to more than ${MAX_EXPANDED_VALUES} values; pick fewer values in the dashboard variables.`
      );
    }
    results = next;
    rest = rest.slice(m.index + m[0].length);
  }
  return results.map((r) => r + rest);
}

/** Expands a list; "All" (any match-anything value) yields undefined = no filter. */
export function expandList(values: string[] | undefined, templateSrv: TemplateSrv, scopedVars?: ScopedVars): string[] | undefined {
  if (!values || values.length === 0) {
    return undefined;
  }
  const out = new Set<string>();
  for (const v of values) {
    for (const x of expandValue(v, templateSrv, scopedVars)) {
      if (MATCH_ANY.has(x)) {
        return undefined;
      }
      if (x !== '') {
        out.add(x);
      }
    }
  }
  return out.size > 0 ? [...out] : undefined;
}

function expandSingle(
  value: string | undefined,
  what: string,
  templateSrv: TemplateSrv,
  scopedVars?: ScopedVars
): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const values = expandValue(value, templateSrv, scopedVars).filter((v) => v !== '' && !MATCH_ANY.has(v));
  if (values.length > 1) {
    throw new InterpolationError(`${what} "${value}" expands to ${values.length} values (${values.slice(0, 3).join(', ')}...); it needs exactly one.`);
  }
  return values[0];
}

function filters(f: StreamFilters | undefined, templateSrv: TemplateSrv, scopedVars?: ScopedVars): StreamFilters {
  const out: StreamFilters = {};
  for (const key of ['platform', 'cluster', 'namespace', 'service'] as const) {
    const values = expandList(f?.[key], templateSrv, scopedVars);
    if (values) {
      out[key] = values;
    }
  }
  return out;
}

/** The target with every user-entered value interpolated; structure (query type, options) untouched. */
export function interpolateQuery(query: MeshAuditQuery, templateSrv: TemplateSrv, scopedVars?: ScopedVars): MeshAuditQuery {
  return {
    ...query,
    filters: filters(query.filters, templateSrv, scopedVars),
    controls: expandList(query.controls, templateSrv, scopedVars) ?? (query.controls ? [] : undefined),
    retentionClasses: expandList(query.retentionClasses, templateSrv, scopedVars) ?? (query.retentionClasses ? [] : undefined),
    logs: query.logs && {
      ...query.logs,
      srcWorkload: expandSingle(query.logs.srcWorkload, 'Source workload', templateSrv, scopedVars),
      dstService: expandSingle(query.logs.dstService, 'Destination service', templateSrv, scopedVars),
      controlId: expandSingle(query.logs.controlId, 'Control', templateSrv, scopedVars),
    },
  };
}
