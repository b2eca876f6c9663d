/**
 * Loki targets for panels that query the Loki data source directly. The expression is a LogQL
 * AST from the core builders, rendered (and validated) by `renderLogql`, never a literal string.
 */
import { DataqueryBuilder, LokiQueryType, QueryEditorMode } from '@grafana/grafana-foundation-sdk/loki';
import { renderLogql, type LogqlExpr } from '../src/core/logql';
import { LOKI } from './datasources';

export interface LokiTargetOptions {
  refId: string;
  /** Series name, e.g. `{{namespace}}`. */
  legendFormat?: string;
  /** `instant` evaluates once at the end of the range (stats and tables); default `range`. */
  queryType?: 'range' | 'instant';
  /** Log queries only: maximum lines returned. */
  maxLines?: number;
}

export function lokiTarget(expr: LogqlExpr, options: LokiTargetOptions): DataqueryBuilder {
  const builder = new DataqueryBuilder()
    .datasource({ ...LOKI })
    .refId(options.refId)
    .expr(renderLogql(expr))
    // Code mode: the expressions are generated, the visual builder would only reformat them.
    .editorMode(QueryEditorMode.Code)
    .queryType(options.queryType === 'instant' ? LokiQueryType.Instant : LokiQueryType.Range);
  if (options.legendFormat !== undefined) {
    builder.legendFormat(options.legendFormat);
  }
  if (options.maxLines !== undefined) {
    builder.maxLines(options.maxLines);
  }
  return builder;
}

/** A, B, C, ... for the targets of one panel (Grafana's own convention). */
export function refId(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 26) {
    throw new Error(`refId index out of range: ${index}`);
  }
  return String.fromCharCode('A'.charCodeAt(0) + index);
}
