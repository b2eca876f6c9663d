/**
 * Small constructors for the AST, so callers write `countOverTime(logQuery(...), 5 * MS.m)`
 * instead of object literals. They build data only; `renderLogql` validates and renders.
 */
import type {
  BinaryExpr,
  BinaryOp,
  Grouping,
  LabelFilterExpr,
  LabelMatcher,
  LogQuery,
  MetricExpr,
  NumericOp,
  PipelineStage,
  StreamSelector,
  Unwrap,
  UnwrappedRangeAggregation,
  VectorAggregation,
  VectorOp,
} from './ast';
import type { RangeDuration } from './duration';

export const eq = (label: string, value: string): LabelMatcher => ({ label, op: '=', value });
export const neq = (label: string, value: string): LabelMatcher => ({ label, op: '!=', value });
/** Matches any of the literal values (escaped); one value renders as `=`. */
export const oneOf = (label: string, values: readonly string[]): LabelMatcher =>
  values.length === 1 ? eq(label, values[0]) : { label, op: '=~', regex: { anyOf: values } };
/** Matches none of the literal values (escaped); one value renders as `!=`. */
export const noneOf = (label: string, values: readonly string[]): LabelMatcher =>
  values.length === 1 ? neq(label, values[0]) : { label, op: '!~', regex: { anyOf: values } };
/** A code-authored RE2 pattern, e.g. `.+`. */
export const matchesPattern = (label: string, pattern: string): LabelMatcher => ({
  label,
  op: '=~',
  regex: { pattern },
});

export const selector = (...matchers: LabelMatcher[]): StreamSelector => ({ matchers });

export const numeric = (label: string, numericOp: NumericOp, number: number): LabelFilterExpr => ({
  label,
  numericOp,
  number,
});
export const allOf = (...exprs: LabelFilterExpr[]): LabelFilterExpr => ({ and: exprs });
export const anyOf = (...exprs: LabelFilterExpr[]): LabelFilterExpr => ({ or: exprs });

/** `| __error__=""`: drop lines where parsing or conversion failed. */
export const NO_ERRORS: LabelFilterExpr = eq('__error__', '');

export const labelFilter = (expr: LabelFilterExpr): PipelineStage => ({ kind: 'labelFilter', expr });
export const json = (): PipelineStage => ({ kind: 'json' });
export const rawStage = (text: string): PipelineStage => ({ kind: 'rawStage', text });
export const contains = (value: string): PipelineStage => ({ kind: 'lineFilter', op: '|=', value });

export const logQuery = (sel: StreamSelector, ...pipeline: PipelineStage[]): LogQuery => ({
  kind: 'log',
  selector: sel,
  pipeline,
});

export const countOverTime = (query: LogQuery, range: RangeDuration): MetricExpr => ({
  kind: 'logRange',
  fn: 'count_over_time',
  query,
  range,
});

export const absentOverTime = (query: LogQuery, range: RangeDuration): MetricExpr => ({
  kind: 'logRange',
  fn: 'absent_over_time',
  query,
  range,
});

export const quantileOverTime = (
  quantile: number,
  query: LogQuery,
  unwrap: Unwrap,
  range: RangeDuration,
  grouping?: Grouping
): UnwrappedRangeAggregation => ({ kind: 'unwrappedRange', fn: 'quantile_over_time', quantile, query, unwrap, range, grouping });

export const by = (...labels: string[]): Grouping => ({ mode: 'by', labels });

export const aggregate = (op: VectorOp, expr: MetricExpr, grouping?: Grouping): VectorAggregation => ({
  kind: 'vectorAgg',
  op,
  expr,
  grouping,
});
export const sum = (expr: MetricExpr, grouping?: Grouping) => aggregate('sum', expr, grouping);

export const binary = (op: BinaryOp, left: MetricExpr, right: MetricExpr, bool = false): BinaryExpr => ({
  kind: 'binary',
  op,
  left,
  right,
  bool,
});
export const num = (value: number): MetricExpr => ({ kind: 'number', value });
export const vector = (value: number): MetricExpr => ({ kind: 'vector', value });

/**
 * `numerator or (denominator * 0)`: series present in the denominator but absent from the
 * numerator count as 0 instead of vanishing, so "no matching lines" reads 0 while "no lines
 * at all" still returns nothing (no evidence).
 */
export const zeroFilled = (numerator: MetricExpr, denominator: MetricExpr): MetricExpr =>
  binary('or', numerator, binary('*', denominator, num(0)));

/** Adds a constant label to every series, e.g. to keep per-profile series apart before `or`. */
export const withLabel = (expr: MetricExpr, label: string, value: string): MetricExpr => ({
  kind: 'labelReplace',
  expr,
  dst: label,
  replacement: value,
  src: '',
  regex: '',
});
