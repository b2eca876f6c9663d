/**
 * LogQL building and escaping — the only way Mesh Audit produces LogQL text.
 *
 * Public API:
 * - AST types (`LogQuery`, `MetricExpr`, `StreamSelector`, `PipelineStage`, `LabelFilterExpr`, ...)
 *   and constructors (`selector`, `eq`, `oneOf`, `logQuery`, `countOverTime`, `sum`, `by`, ...).
 * - `renderLogql(expr)`: validated query text. Throws `LogqlError` (clear message) for invalid
 *   label names, selectors that only match empty values, non-finite numbers, bad quantiles, ...
 * - `quoteString(value)`: a Go-quoted string literal (Loki's unquote rules). Lone UTF-16
 *   surrogates are rejected with LogqlError, never replaced. `escapeRegex(value)`: RE2 literal.
 * - Durations: `RangeDuration` = milliseconds or `{ grafanaVariable: '$__auto' | '$__interval' |
 *   '$__range' }` (explicit, for dashboards and alert rules); `formatDuration(ms)` -> `1h30m`;
 *   `parseDuration('7d')` -> ms.
 * - `checkLogqlSyntax(text)` (./validate, separate entry because it loads the lezer grammar).
 *
 * Rules: no caller concatenates query text. Code-authored profile stages enter only as
 * `rawStage(text)`; every other value is typed and escaped by the renderer.
 */
export * from './ast';
export * from './build';
export { formatDuration, parseDuration, renderRange, MS, GRAFANA_DURATION_VARIABLES } from './duration';
export type { RangeDuration, GrafanaDurationVariable } from './duration';
export { LogqlError } from './errors';
export { quoteString, escapeStringBody, escapeRegex, literalAlternation } from './escape';
export { renderLogql, renderLogQuery, renderMetric, renderSelector, assertLabelName, matcherMatchesEmpty } from './render';
