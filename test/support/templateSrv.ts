import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

/**
 * A stand-in for Grafana's TemplateSrv (which lives in the Grafana app, not in a package) with the
 * behaviour this plugin relies on: `$name` and `${name}` references, scoped vars first, and a
 * format callback that receives a string for single values and an array for multi-values.
 */
export function fakeTemplateSrv(variables: Record<string, string | string[]>): TemplateSrv {
  const pattern = /\$(\w+)|\$\{(\w+)\}/g;
  return {
    getVariables: () => [],
    containsTemplate: (target?: string) => !!target && new RegExp(pattern.source).test(target),
    updateTimeRange: () => {},
    replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
      return (target ?? '').replace(pattern, (whole, a?: string, b?: string) => {
        const name = (a ?? b)!;
        const scoped = scopedVars?.[name]?.value;
        const value = scoped !== undefined ? scoped : variables[name];
        if (value === undefined) {
          return whole;
        }
        if (typeof format === 'function') {
          return format(value);
        }
        return Array.isArray(value) ? `{${value.join(',')}}` : String(value);
      });
    },
  } as unknown as TemplateSrv;
}
