/**
 * Renders the LogQL AST to query text, validating as it goes: label names must be identifiers,
 * selectors must have a matcher that cannot match the empty string, numbers must be finite.
 * Every value goes through `quoteString` (and `escapeRegex` for literal regexes).
 */
import type {
  BinaryExpr,
  Grouping,
  LabelFilterExpr,
  LabelFormatItem,
  LabelMatcher,
  LogQuery,
  LogqlExpr,
  MetricExpr,
  PipelineStage,
  RegexValue,
  StreamSelector,
  Unwrap,
} from './ast';
import { renderRange } from './duration';
import { LogqlError } from './errors';
import { literalAlternation, quoteString } from './escape';

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Throws unless `name` is a valid LogQL label name (these cannot be escaped, only checked). */
export function assertLabelName(name: string, role = 'label name'): string {
  if (!IDENTIFIER.test(name)) {
    throw new LogqlError(
      `invalid ${role} ${JSON.stringify(name)}: must match [a-zA-Z_][a-zA-Z0-9_]*`
    );
  }
  return name;
}

function regexSource(regex: RegexValue): string {
  return 'anyOf' in regex ? literalAlternation(regex.anyOf) : regex.pattern;
}

/** Whether a label matcher also matches streams where the label is empty or absent. */
export function matcherMatchesEmpty(matcher: LabelMatcher): boolean {
  switch (matcher.op) {
    case '=':
      return matcher.value === '';
    case '!=':
      return matcher.value !== '';
    case '=~':
      return regexMatchesEmpty(matcher.regex);
    case '!~':
      return !regexMatchesEmpty(matcher.regex);
  }
}

function regexMatchesEmpty(regex: RegexValue): boolean {
  if ('anyOf' in regex) {
    return regex.anyOf.includes('');
  }
  try {
    // Label regexes are fully anchored in Loki; JS and RE2 agree on whether simple patterns match ''.
    return new RegExp(`^(?:${regex.pattern})$`, 'u').test('');
  } catch {
    // A pattern JS cannot read might match empty; assume it does (the selector check stays safe).
    return true;
  }
}

function renderMatcher(matcher: LabelMatcher): string {
  const label = assertLabelName(matcher.label);
  return 'regex' in matcher
    ? `${label}${matcher.op}${quoteString(regexSource(matcher.regex))}`
    : `${label}${matcher.op}${quoteString(matcher.value)}`;
}

export function renderSelector(selector: StreamSelector): string {
  if (selector.matchers.length === 0) {
    throw new LogqlError('a stream selector needs at least one label matcher');
  }
  if (selector.matchers.every(matcherMatchesEmpty)) {
    const shown = selector.matchers.map(renderMatcher).join(', ');
    throw new LogqlError(
      `stream selector {${shown}} has no matcher that excludes the empty value; Loki requires at least one (e.g. log_type="access")`
    );
  }
  return `{${selector.matchers.map(renderMatcher).join(', ')}}`;
}

export function renderNumber(value: number, role = 'number'): string {
  if (!Number.isFinite(value)) {
    throw new LogqlError(`${role} must be a finite number, got ${value}`);
  }
  return String(value);
}

function renderLabelFilter(expr: LabelFilterExpr, nested = false): string {
  if ('and' in expr || 'or' in expr) {
    const [joiner, parts] = 'and' in expr ? ['and', expr.and] : ['or', expr.or];
    if (parts.length === 0) {
      throw new LogqlError(`an "${joiner}" label filter needs at least one operand`);
    }
    if (parts.length === 1) {
      return renderLabelFilter(parts[0], nested);
    }
    const text = parts.map((part) => renderLabelFilter(part, true)).join(` ${joiner} `);
    return nested ? `(${text})` : text;
  }
  if ('numericOp' in expr) {
    return `${assertLabelName(expr.label)} ${expr.numericOp} ${renderNumber(expr.number, `filter value for ${expr.label}`)}`;
  }
  return renderMatcher(expr);
}

function renderLabelFormatItem(item: LabelFormatItem): string {
  const dst = assertLabelName(item.dst);
  return 'src' in item ? `${dst}=${assertLabelName(item.src)}` : `${dst}=${quoteString(item.template)}`;
}

function renderStage(stage: PipelineStage): string {
  switch (stage.kind) {
    case 'lineFilter':
      return 'regex' in stage
        ? `${stage.op} ${quoteString(regexSource(stage.regex))}`
        : `${stage.op} ${quoteString(stage.value)}`;
    case 'json': {
      const extract = Object.entries(stage.extract ?? {});
      return extract.length === 0
        ? '| json'
        : `| json ${extract.map(([label, path]) => (label === path ? assertLabelName(label) : `${assertLabelName(label)}=${quoteString(path)}`)).join(', ')}`;
    }
    case 'logfmt':
      return ['| logfmt', stage.strict ? '--strict' : '', stage.keepEmpty ? '--keep-empty' : '']
        .filter(Boolean)
        .join(' ');
    case 'pattern':
      return `| pattern ${quoteString(stage.pattern)}`;
    case 'regexp':
      return `| regexp ${quoteString(stage.pattern)}`;
    case 'unpack':
      return '| unpack';
    case 'labelFilter':
      return `| ${renderLabelFilter(stage.expr)}`;
    case 'labelFormat': {
      if (stage.items.length === 0) {
        throw new LogqlError('label_format needs at least one item');
      }
      const names = stage.items.map((item) => item.dst);
      const repeated = names.find((name, i) => names.indexOf(name) !== i);
      if (repeated) {
        throw new LogqlError(`label_format may name label ${JSON.stringify(repeated)} only once per stage`);
      }
      return `| label_format ${stage.items.map(renderLabelFormatItem).join(', ')}`;
    }
    case 'lineFormat':
      return `| line_format ${quoteString(stage.template)}`;
    case 'drop':
    case 'keep': {
      if (stage.labels.length === 0) {
        throw new LogqlError(`${stage.kind} needs at least one label`);
      }
      const items = stage.labels.map((item) =>
        typeof item === 'string' ? assertLabelName(item) : `${assertLabelName(item.label)}=${quoteString(item.value)}`
      );
      return `| ${stage.kind} ${items.join(', ')}`;
    }
    case 'rawStage': {
      const text = stage.text.trim();
      if (!/^(\||!=|!~)/.test(text)) {
        throw new LogqlError(`a raw stage must start with a pipe or line filter, got ${JSON.stringify(text.slice(0, 30))}`);
      }
      return text;
    }
  }
}

function renderPipeline(pipeline: readonly PipelineStage[]): string {
  return pipeline.map(renderStage).join(' ');
}

export function renderLogQuery(query: LogQuery): string {
  const pipeline = renderPipeline(query.pipeline);
  return pipeline ? `${renderSelector(query.selector)} ${pipeline}` : renderSelector(query.selector);
}

function renderUnwrap(unwrap: Unwrap): string {
  const label = assertLabelName(unwrap.label);
  const target = unwrap.conversion ? `${unwrap.conversion}(${label})` : label;
  const after = (unwrap.after ?? []).map((filter) => ` | ${renderLabelFilter(filter)}`).join('');
  return `| unwrap ${target}${after}`;
}

function renderGrouping(grouping: Grouping | undefined): string {
  if (!grouping) {
    return '';
  }
  if (grouping.labels.length === 0) {
    throw new LogqlError(`"${grouping.mode}" grouping needs at least one label`);
  }
  return `${grouping.mode} (${grouping.labels.map((label) => assertLabelName(label)).join(', ')})`;
}

function renderRangeSuffix(range: Parameters<typeof renderRange>[0], offset: Parameters<typeof renderRange>[0] | undefined): string {
  return `[${renderRange(range)}]${offset === undefined ? '' : ` offset ${renderRange(offset)}`}`;
}

function renderBinaryOperand(expr: MetricExpr): string {
  const text = renderMetric(expr);
  return expr.kind === 'binary' ? `(${text})` : text;
}

function renderBinary(expr: BinaryExpr): string {
  const comparison = ['>', '>=', '<', '<=', '==', '!='].includes(expr.op);
  if (expr.bool && !comparison) {
    throw new LogqlError(`the bool modifier applies only to comparisons, not "${expr.op}"`);
  }
  const op = expr.bool ? `${expr.op} bool` : expr.op;
  return `${renderBinaryOperand(expr.left)} ${op} ${renderBinaryOperand(expr.right)}`;
}

export function renderMetric(expr: MetricExpr): string {
  switch (expr.kind) {
    case 'number':
      return renderNumber(expr.value);
    case 'vector':
      return `vector(${renderNumber(expr.value)})`;
    case 'binary':
      return renderBinary(expr);
    case 'labelReplace': {
      const src = expr.src === '' ? '' : assertLabelName(expr.src);
      const args = [assertLabelName(expr.dst), expr.replacement, src, expr.regex].map(quoteString).join(', ');
      return `label_replace(${renderMetric(expr.expr)}, ${args})`;
    }
    case 'logRange': {
      const query = renderLogQuery(expr.query);
      const sep = expr.query.pipeline.length > 0 ? ' ' : '';
      return `${expr.fn}(${query}${sep}${renderRangeSuffix(expr.range, expr.offset)})`;
    }
    case 'unwrappedRange': {
      if (expr.grouping && (expr.fn === 'sum_over_time' || expr.fn === 'absent_over_time')) {
        throw new LogqlError(`${expr.fn} does not accept by/without grouping; wrap it in a vector aggregation`);
      }
      let head = '';
      if (expr.fn === 'quantile_over_time') {
        const q = expr.quantile;
        if (q === undefined || !(q >= 0 && q <= 1)) {
          throw new LogqlError(`quantile_over_time needs a quantile between 0 and 1, got ${q}`);
        }
        head = `${renderNumber(q)}, `;
      }
      const body = `${renderLogQuery(expr.query)} ${renderUnwrap(expr.unwrap)} ${renderRangeSuffix(expr.range, expr.offset)}`;
      const grouping = renderGrouping(expr.grouping);
      return `${expr.fn}(${head}${body})${grouping ? ` ${grouping}` : ''}`;
    }
    case 'vectorAgg': {
      let param = '';
      if (expr.op === 'topk' || expr.op === 'bottomk') {
        if (expr.k === undefined || !Number.isSafeInteger(expr.k) || expr.k <= 0) {
          throw new LogqlError(`${expr.op} needs k as a positive integer, got ${expr.k}`);
        }
        param = `${expr.k}, `;
      }
      const grouping = renderGrouping(expr.grouping);
      return `${expr.op}${grouping ? ` ${grouping} ` : ''}(${param}${renderMetric(expr.expr)})`;
    }
  }
}

/** Render any LogQL expression (log or metric query) to text. Throws LogqlError on invalid parts. */
export function renderLogql(expr: LogqlExpr): string {
  return expr.kind === 'log' ? renderLogQuery(expr) : renderMetric(expr);
}
