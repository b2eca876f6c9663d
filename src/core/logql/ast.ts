/**
 * The LogQL query AST. Every user-supplied value sits in a typed slot and is escaped by the
 * renderer; the only untyped text is `rawStage`, reserved for code-authored profile stages.
 */
import type { RangeDuration } from './duration';

/**
 * A regex value. `anyOf` is a list of literals (RE2-escaped, joined with `|`); `pattern` is a
 * code-authored RE2 pattern (still string-escaped, so it cannot break out of its literal).
 */
export type RegexValue = { anyOf: readonly string[] } | { pattern: string };

export type LabelMatcher =
  | { label: string; op: '=' | '!='; value: string }
  | { label: string; op: '=~' | '!~'; regex: RegexValue };

export interface StreamSelector {
  matchers: readonly LabelMatcher[];
}

export type LineFilter =
  | { kind: 'lineFilter'; op: '|=' | '!='; value: string }
  | { kind: 'lineFilter'; op: '|~' | '!~'; regex: RegexValue };

export type NumericOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** A label filter expression after a parser: string, numeric, and/or trees. */
export type LabelFilterExpr =
  | LabelMatcher
  | { label: string; numericOp: NumericOp; number: number }
  | { and: readonly LabelFilterExpr[] }
  | { or: readonly LabelFilterExpr[] };

export type ParserStage =
  | { kind: 'json'; extract?: Readonly<Record<string, string>> }
  | { kind: 'logfmt'; strict?: boolean; keepEmpty?: boolean }
  | { kind: 'pattern'; pattern: string }
  | { kind: 'regexp'; pattern: string }
  | { kind: 'unpack' };

/** `dst=src` renames a label; `dst="template"` renders a Go template (code-authored). */
export type LabelFormatItem = { dst: string; src: string } | { dst: string; template: string };

export type PipelineStage =
  | LineFilter
  | ParserStage
  | { kind: 'labelFilter'; expr: LabelFilterExpr }
  | { kind: 'labelFormat'; items: readonly LabelFormatItem[] }
  | { kind: 'lineFormat'; template: string }
  | { kind: 'drop' | 'keep'; labels: ReadonlyArray<string | { label: string; value: string }> }
  /** Trusted, code-authored pipeline text such as a profile's `logqlStage`. Never user input. */
  | { kind: 'rawStage'; text: string };

export interface LogQuery {
  kind: 'log';
  selector: StreamSelector;
  pipeline: readonly PipelineStage[];
}

export interface Unwrap {
  label: string;
  conversion?: 'duration_seconds' | 'bytes';
  /** Filters after unwrap; `__error__=""` drops lines whose value did not convert. */
  after?: readonly LabelFilterExpr[];
}

export interface Grouping {
  mode: 'by' | 'without';
  labels: readonly string[];
}

export type LogRangeFunction = 'count_over_time' | 'rate' | 'bytes_over_time' | 'bytes_rate' | 'absent_over_time';
export type UnwrappedRangeFunction =
  | 'sum_over_time'
  | 'avg_over_time'
  | 'max_over_time'
  | 'min_over_time'
  | 'quantile_over_time'
  | 'absent_over_time';

export interface LogRangeAggregation {
  kind: 'logRange';
  fn: LogRangeFunction;
  query: LogQuery;
  range: RangeDuration;
  offset?: RangeDuration;
}

export interface UnwrappedRangeAggregation {
  kind: 'unwrappedRange';
  fn: UnwrappedRangeFunction;
  query: LogQuery;
  unwrap: Unwrap;
  range: RangeDuration;
  /** Required for quantile_over_time, in [0, 1]. */
  quantile?: number;
  /** Not allowed for sum_over_time and absent_over_time (Loki rejects it). */
  grouping?: Grouping;
  offset?: RangeDuration;
}

export type VectorOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'topk' | 'bottomk';

export interface VectorAggregation {
  kind: 'vectorAgg';
  op: VectorOp;
  /** Required for topk/bottomk: a positive integer. */
  k?: number;
  grouping?: Grouping;
  expr: MetricExpr;
}

export type BinaryOp = '/' | '*' | '+' | '-' | '>' | '>=' | '<' | '<=' | '==' | '!=' | 'or' | 'and' | 'unless';

export interface BinaryExpr {
  kind: 'binary';
  op: BinaryOp;
  /** `bool` modifier for comparisons: 0/1 instead of filtering. */
  bool?: boolean;
  left: MetricExpr;
  right: MetricExpr;
}

export interface NumberLiteral {
  kind: 'number';
  value: number;
}

/** `vector(0)`: a constant series with no labels. */
export interface VectorLiteral {
  kind: 'vector';
  value: number;
}

/** `label_replace(expr, "dst", "replacement", "src", "regex")` (regex is a code-authored RE2 pattern). */
export interface LabelReplace {
  kind: 'labelReplace';
  expr: MetricExpr;
  dst: string;
  replacement: string;
  src: string;
  regex: string;
}

export type MetricExpr =
  | LabelReplace
  | LogRangeAggregation
  | UnwrappedRangeAggregation
  | VectorAggregation
  | BinaryExpr
  | NumberLiteral
  | VectorLiteral;

export type LogqlExpr = LogQuery | MetricExpr;
