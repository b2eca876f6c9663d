/**
 * Label matchers that reference a dashboard variable, for LogQL sent to Loki directly.
 *
 * The core LogQL builder (src/core/logql) has typed slots for literal values (escaped) and for
 * code-authored RE2 patterns; it has no slot for a Grafana template variable. A variable
 * reference is code-authored text, so it enters through the pattern slot, and only after its
 * name has been checked against a fixed list: no caller can put anything but `$<name>` there.
 *
 * Why `=~` and why this is safe: Grafana's Loki data source interpolates variables with
 * `interpolateQueryExpr` (grafana/grafana public/app/plugins/datasource/loki/datasource.ts,
 * called from `applyTemplateVariables` via `templateSrv.replace(target.expr, variables,
 * this.interpolateQueryExpr)`). For a variable that is multi-value or has "include all", every
 * selected value goes through `lokiSpecialRegexEscape` (same file), which escapes backslashes
 * and the regex metacharacters `$^*{}[]+?.()|` for use inside a double-quoted LogQL string, and
 * joins the values with `|`. So `namespace=~"$namespace"` with `a.b` and `c` selected becomes
 * `namespace=~"a\\.b|c"`, an alternation of literals. That escaping applies ONLY to multi or
 * include-all variables (a single-value variable is inserted raw), which is why every variable
 * in variables.ts is multi + include-all. `"` is NOT escaped by Grafana, so the variables do not
 * accept typed-in values (allowCustomValue false): values come only from Loki's own label
 * values, and the custom "All" value is the fixed pattern `.+`.
 */
import { matchesPattern, type LabelMatcher } from '../src/core/logql';
import { DEFAULT_LABEL_NAMES } from '../src/core/query';

/** The dashboard variables that filter streams; each names the Loki label of the same role. */
export const FILTER_VARIABLES = ['platform', 'cluster', 'namespace'] as const;
export type FilterVariableName = (typeof FILTER_VARIABLES)[number];

/** The Loki label each variable filters (configurable labels keep their default names here). */
export const VARIABLE_LABELS: Record<FilterVariableName, string> = {
  platform: DEFAULT_LABEL_NAMES.platform,
  cluster: DEFAULT_LABEL_NAMES.cluster,
  namespace: DEFAULT_LABEL_NAMES.namespace,
};

/** `label=~"$variable"` for one of FILTER_VARIABLES. */
export function variableMatcher(variable: FilterVariableName): LabelMatcher {
  if (!FILTER_VARIABLES.includes(variable)) {
    throw new Error(`unknown dashboard variable ${JSON.stringify(variable)}`);
  }
  return matchesPattern(VARIABLE_LABELS[variable], `$${variable}`);
}

/** Matchers for several variables, in the given order. */
export function variableMatchers(variables: readonly FilterVariableName[]): LabelMatcher[] {
  return variables.map(variableMatcher);
}
