/**
 * Mesh Audit query builders: the query model (src/core/query.ts) to LogQL text. Used by the data
 * source, `mesh-audit logql`, dashboards-as-code and alert rules. Every value is escaped by the
 * LogQL builder (src/core/logql); every aggregation runs in Loki.
 *
 * Context: `queryContext({ source, labels, accessLogType, profileStages })` says where access logs
 * are (`{<logType>="access"}`) and how to parse them: `| json` for normalised common-schema
 * lines, or each raw profile's `logqlStage` under a `mesh` matcher.
 *
 * - `buildTopologyQueries(filters, topologyOptions, range, ctx)` -> `TopologyQuery[]`:
 *   named `requests` (split by the mTLS state, and for raw pipelines by status), `errors`
 *   (status >= 500, normalised JSON only), `latency_p95` (ms), grouped by
 *   `topologyGroupKeys(groupBy, labels)`; raw sources: one set per profile (sum per edge).
 * - `buildControlQueries(ids, filters, range, policy, ctx)` -> `ControlQuery[]`: per catalog
 *   control one metric query whose single value is the measured value (what alert rules
 *   evaluate), or `expr: null` with a `reason` when the policy leaves it out of scope; plus the
 *   newest evidence line's queries. The data source reads share and count controls from
 *   `buildControlTableQueries` (control-table.ts): one grouped count per pipeline for all of them.
 * - `buildRetentionQueries(classNames, filters, policy, labels)` -> `RetentionQuery[]`: daily
 *   `sum(count_over_time({class}[1d]))`, to run as range queries with `stepMs` (1 day).
 * - `buildLogsQueries(filters, logsOptions, policy, ctx)` -> `LogsQuery[]` with `limit`.
 *
 * `range` is a `RangeDuration`: milliseconds, or `{ grafanaVariable: '$__range' | ... }` for
 * dashboards and alert rules. Builders throw `LogqlError` with a clear message on bad input.
 */
export * from './context';
export * from './field-filter';
export * from './topology';
export * from './controls';
export * from './retention';
export * from './logs';
export * from './control-table';
