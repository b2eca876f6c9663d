/** @jest-environment node */
import {
  allOf,
  anyOf,
  by,
  countOverTime,
  eq,
  json,
  labelFilter,
  logQuery,
  matchesPattern,
  neq,
  NO_ERRORS,
  noneOf,
  num,
  numeric,
  oneOf,
  quantileOverTime,
  rawStage,
  selector,
  sum,
  vector,
  binary,
  zeroFilled,
  aggregate,
  withLabel,
} from './build';
import { MS } from './duration';
import { LogqlError } from './errors';
import { renderLogql } from './render';
import type { LogQuery, MetricExpr } from './ast';
import { checkLogqlSyntax } from './validate';
import { decodedStrings } from '../../../test/support/logql';

const ACCESS = selector(eq('log_type', 'access'));

function rendered(expr: Parameters<typeof renderLogql>[0]): string {
  const text = renderLogql(expr);
  expect(checkLogqlSyntax(text)).toBeNull();
  return text;
}

describe('stream selectors', () => {
  it('renders = != =~ !~ matchers with escaped values', () => {
    const text = rendered(
      logQuery(selector(eq('log_type', 'access'), neq('cluster', 'a"b'), oneOf('namespace', ['x.y', 'z']), noneOf('mesh', ['k|m', 'n'])))
    );
    expect(text).toBe('{log_type="access", cluster!="a\\"b", namespace=~"x\\\\.y|z", mesh!~"k\\\\|m|n"}');
    expect(decodedStrings(text)).toEqual(['access', 'a"b', 'x\\.y|z', 'k\\|m|n']);
  });

  it('renders a single-value oneOf as an equality', () => {
    expect(rendered(logQuery(selector(oneOf('namespace', ['a']))))).toBe('{namespace="a"}');
  });

  it('rejects selectors whose every matcher matches the empty value', () => {
    const cases = [
      selector(),
      selector(eq('namespace', '')),
      selector(neq('namespace', 'x')),
      selector(oneOf('namespace', ['', 'a'])),
      selector(matchesPattern('namespace', '.*')),
      selector(noneOf('namespace', ['a', 'b'])),
    ];
    for (const sel of cases) {
      expect(() => renderLogql(logQuery(sel))).toThrow(LogqlError);
    }
    expect(() => renderLogql(logQuery(selector(neq('a', 'x'))))).toThrow(/no matcher that excludes the empty value/);
    // One non-empty matcher is enough.
    expect(rendered(logQuery(selector(neq('a', 'x'), matchesPattern('namespace', '.+'))))).toBe('{a!="x", namespace=~".+"}');
  });

  it('rejects label names that are not identifiers', () => {
    expect(() => renderLogql(logQuery(selector(eq('name space', 'x'))))).toThrow(/invalid label name "name space"/);
    expect(() => renderLogql(logQuery(selector(eq('a="b"}', 'x'))))).toThrow(LogqlError);
    expect(() => renderLogql(logQuery(selector(eq('1abc', 'x'))))).toThrow(LogqlError);
  });
});

describe('pipelines', () => {
  it('renders line filters, parsers, label filters, formats, drop and keep', () => {
    const query: LogQuery = logQuery(
      ACCESS,
      { kind: 'lineFilter', op: '|=', value: 'GET' },
      { kind: 'lineFilter', op: '!=', value: 'health"z' },
      { kind: 'lineFilter', op: '|~', regex: { pattern: 'ab+c' } },
      { kind: 'lineFilter', op: '!~', regex: { anyOf: ['a.b'] } },
      { kind: 'json', extract: { code: 'response.code' } },
      { kind: 'logfmt', strict: true, keepEmpty: true },
      { kind: 'pattern', pattern: '<ip> - <_>' },
      { kind: 'regexp', pattern: '(?P<method>\\w+)' },
      { kind: 'unpack' },
      labelFilter(allOf(numeric('status', '>=', 500), anyOf(eq('mtls', 'plaintext'), eq('authz', 'deny')))),
      labelFilter(NO_ERRORS),
      { kind: 'labelFormat', items: [{ dst: 'svc', src: 'dst_service' }, { dst: 'edge', template: '{{.a}}->{{.b}}' }] },
      { kind: 'lineFormat', template: '{{.status}} "{{.path}}"' },
      { kind: 'drop', labels: ['a', { label: '__error__', value: 'JSONParserErr' }] },
      { kind: 'keep', labels: ['svc'] }
    );
    const text = rendered(query);
    expect(text).toBe(
      '{log_type="access"} |= "GET" != "health\\"z" |~ "ab+c" !~ "a\\\\.b" | json code="response.code" | logfmt --strict --keep-empty' +
        ' | pattern "<ip> - <_>" | regexp "(?P<method>\\\\w+)" | unpack | status >= 500 and (mtls="plaintext" or authz="deny")' +
        ' | __error__="" | label_format svc=dst_service, edge="{{.a}}->{{.b}}" | line_format "{{.status}} \\"{{.path}}\\""' +
        ' | drop a, __error__="JSONParserErr" | keep svc'
    );
  });

  it('inserts raw profile stages verbatim but only as a pipeline part', () => {
    expect(rendered(logQuery(ACCESS, rawStage('| json | label_format dst_service=upstream'), labelFilter(NO_ERRORS)))).toBe(
      '{log_type="access"} | json | label_format dst_service=upstream | __error__=""'
    );
    expect(() => renderLogql(logQuery(ACCESS, rawStage('} or vector(1)')))).toThrow(/raw stage must start with a pipe/);
  });

  it('rejects non-finite numbers, empty and/or, duplicate label_format targets', () => {
    expect(() => renderLogql(logQuery(ACCESS, labelFilter(numeric('status', '>', NaN))))).toThrow(/finite/);
    expect(() => renderLogql(logQuery(ACCESS, labelFilter(allOf())))).toThrow(/at least one operand/);
    expect(() =>
      renderLogql(logQuery(ACCESS, { kind: 'labelFormat', items: [{ dst: 'a', src: 'b' }, { dst: 'a', src: 'c' }] }))
    ).toThrow(/only once/);
  });
});

describe('metric queries', () => {
  const parsed = logQuery(ACCESS, json(), labelFilter(NO_ERRORS));

  it('renders sum by over count_over_time with a typed range', () => {
    expect(rendered(sum(countOverTime(parsed, 5 * MS.m), by('src_workload', 'dst_service')))).toBe(
      'sum by (src_workload, dst_service) (count_over_time({log_type="access"} | json | __error__="" [5m]))'
    );
    expect(rendered(sum(countOverTime(logQuery(ACCESS), MS.d)))).toBe('sum(count_over_time({log_type="access"}[1d]))');
  });

  it('renders unwrapped range aggregations with conversions, post-unwrap filters and grouping', () => {
    const p95 = quantileOverTime(0.95, parsed, { label: 'duration_ms', after: [NO_ERRORS] }, 90 * MS.m, by('dst_service'));
    expect(rendered(p95)).toBe(
      'quantile_over_time(0.95, {log_type="access"} | json | __error__="" | unwrap duration_ms | __error__="" [1h30m]) by (dst_service)'
    );
    const bytes: MetricExpr = {
      kind: 'unwrappedRange',
      fn: 'max_over_time',
      query: parsed,
      unwrap: { label: 'bytes_out', conversion: 'bytes' },
      range: MS.m,
    };
    expect(rendered(bytes)).toBe('max_over_time({log_type="access"} | json | __error__="" | unwrap bytes(bytes_out) [1m])');
    // Loki's grammar takes an offset after pipeline + unwrap; lezer-logql 0.4.2 only without a pipeline.
    const offset: MetricExpr = { ...bytes, query: logQuery(ACCESS), offset: MS.h };
    expect(rendered(offset)).toBe('max_over_time({log_type="access"} | unwrap bytes(bytes_out) [1m] offset 1h)');
    const secs: MetricExpr = { ...bytes, fn: 'avg_over_time', unwrap: { label: 'latency', conversion: 'duration_seconds' } };
    expect(rendered(secs)).toContain('| unwrap duration_seconds(latency) [1m]');
    expect(() => renderLogql({ ...p95, quantile: 1.5 })).toThrow(/between 0 and 1/);
    expect(() => renderLogql({ ...p95, fn: 'sum_over_time' })).toThrow(/does not accept by\/without/);
  });

  it('renders log-range functions other than count', () => {
    for (const fn of ['rate', 'bytes_over_time', 'bytes_rate', 'absent_over_time'] as const) {
      expect(rendered({ kind: 'logRange', fn, query: logQuery(ACCESS), range: 15 * MS.m })).toBe(`${fn}({log_type="access"}[15m])`);
    }
    expect(rendered({ kind: 'logRange', fn: 'rate', query: logQuery(ACCESS, json()), range: 5 * MS.m, offset: MS.d })).toBe(
      'rate({log_type="access"} | json [5m] offset 1d)'
    );
  });

  it('renders vector aggregations including topk and without', () => {
    const inner = countOverTime(logQuery(ACCESS), MS.h);
    expect(rendered({ kind: 'vectorAgg', op: 'topk', k: 5, grouping: by('dst_service'), expr: sum(inner, by('dst_service')) })).toBe(
      'topk by (dst_service) (5, sum by (dst_service) (count_over_time({log_type="access"}[1h])))'
    );
    expect(rendered(aggregate('max', inner, { mode: 'without', labels: ['pod'] }))).toBe(
      'max without (pod) (count_over_time({log_type="access"}[1h]))'
    );
    for (const op of ['avg', 'min', 'count'] as const) {
      expect(rendered(aggregate(op, inner))).toBe(`${op}(count_over_time({log_type="access"}[1h]))`);
    }
    expect(() => renderLogql({ kind: 'vectorAgg', op: 'topk', k: 0, expr: inner })).toThrow(/positive integer/);
  });

  it('renders binary operations, bool comparisons and zero filling', () => {
    const all = sum(countOverTime(parsed, MS.h));
    const mtls = sum(countOverTime(logQuery(ACCESS, json(), labelFilter(eq('mtls', 'mtls')), labelFilter(NO_ERRORS)), MS.h));
    const share = binary('/', zeroFilled(mtls, all), all);
    const text = rendered(binary('>', share, num(0.5), true));
    expect(text).toBe(
      '((sum(count_over_time({log_type="access"} | json | mtls="mtls" | __error__="" [1h])) or ' +
        '(sum(count_over_time({log_type="access"} | json | __error__="" [1h])) * 0)) / ' +
        'sum(count_over_time({log_type="access"} | json | __error__="" [1h]))) > bool 0.5'
    );
    expect(rendered(binary('or', all, vector(0)))).toMatch(/ or vector\(0\)$/);
    expect(() => renderLogql(binary('/', all, all, true))).toThrow(/bool modifier applies only to comparisons/);
  });

  it('renders label_replace with escaped arguments', () => {
    const inner = sum(countOverTime(logQuery(ACCESS), MS.h), by('dst_service'));
    const text = rendered(binary('or', withLabel(inner, 'profile', 'istio"text'), withLabel(inner, 'profile', 'kuma-http')));
    expect(text).toBe(
      'label_replace(sum by (dst_service) (count_over_time({log_type="access"}[1h])), "profile", "istio\\"text", "", "") or ' +
        'label_replace(sum by (dst_service) (count_over_time({log_type="access"}[1h])), "profile", "kuma-http", "", "")'
    );
    expect(() => renderLogql(withLabel(inner, 'bad label', 'x'))).toThrow(/invalid label name/);
  });

  it('renders Grafana duration variables only from the explicit option', () => {
    const text = renderLogql(sum(countOverTime(logQuery(ACCESS), { grafanaVariable: '$__auto' })));
    expect(text).toBe('sum(count_over_time({log_type="access"}[$__auto]))');
    // Grafana substitutes the variable before Loki sees it; after substitution it is LogQL.
    expect(checkLogqlSyntax(text.replace('$__auto', '1m'))).toBeNull();
  });
});
