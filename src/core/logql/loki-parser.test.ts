/** @jest-environment node */
/**
 * Generated LogQL checked by Loki's own parser (test/loki-syntax, Loki v3.4.2): the real grammar
 * and Go unquoting. Opt-in: runs when LOKI_SYNTAX_BIN points at the built binary (needs Go).
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { DEFAULT_POLICY } from '../policy';
import { DEFAULT_LABEL_NAMES, type LogSource } from '../query';
import { buildControlQueries, buildLogsQueries, buildRetentionQueries, buildTopologyQueries, queryContext } from '../queries';
import { PROFILE_NAMES } from '../schema';
import { contains, eq, labelFilter, logQuery, oneOf, selector } from './build';
import { escapeRegex } from './escape';
import { renderLogql } from './render';

const BIN = process.env.LOKI_SYNTAX_BIN;

type LokiResult = { ok: true; values: string[] } | { ok?: false; error: string };

function lokiParse(queries: string[]): LokiResult[] {
  const run = spawnSync(BIN!, [], { input: queries.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) {
    throw new Error(`loki-syntax failed: ${run.stderr}`);
  }
  const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as LokiResult);
  expect(lines).toHaveLength(queries.length);
  return lines;
}

const hostileValues = fc.sample(
  fc
    .array(
      fc.oneof(
        fc.constantFrom('"', '\\', '\n', '\r', '\t', '`', '{', '}', '|', '#', '\x00', '\x7f', '\u0085', '\u2028', '\ufeff', 'é', '😀', '"} |= "x', 'a"}) or vector(1) #'),
        fc.string({ unit: 'binary', maxLength: 5 })
      ),
      { maxLength: 8 }
    )
    .map((parts) => parts.join('')),
  { seed: 20261126, numRuns: 2000 }
);

(BIN ? describe : describe.skip)('generated LogQL under Loki v3.4.2 syntax.ParseExpr', () => {
  it('parses every query the builders produce, for normalised and all raw profiles', () => {
    const policy = { ...DEFAULT_POLICY, strictMtlsNamespaces: ['payments', 'id.x'], requiredServices: ['a', 'b'] };
    const sources: LogSource[] = [{ kind: 'normalized' }, { kind: 'raw', profiles: [...PROFILE_NAMES] }];
    const queries: string[] = buildRetentionQueries([], { cluster: ['x'] }, policy, DEFAULT_LABEL_NAMES).map((q) => q.expr);
    for (const source of sources) {
      const ctx = queryContext({ source });
      for (const groupBy of ['workload', 'namespace', 'cluster', 'platform'] as const) {
        const options = { groupBy, showErrors: true, showLatency: true, showMtls: true };
        queries.push(...buildTopologyQueries({ namespace: ['a"b', 'c'], service: ['x'] }, options, 3_600_000, ctx).map((q) => q.expr));
      }
      for (const c of buildControlQueries([], { cluster: ['c1'] }, 86_400_000, policy, ctx)) {
        queries.push(c.expr!, ...c.logs.map((l) => l.expr), ...(c.counts ? [c.counts.matched, c.counts.scoped] : []));
      }
      queries.push(...buildLogsQueries({ service: ['s'] }, { srcWorkload: 'a', dstService: 'b', limit: 10 }, policy, ctx).map((q) => q.expr));
    }
    const failures = lokiParse(queries)
      .map((result, i) => ({ query: queries[i], error: 'error' in result ? result.error : undefined }))
      .filter((r) => r.error !== undefined);
    expect(failures).toEqual([]);
  });

  it('decodes hostile values in matchers and line filters back to the original', () => {
    const queries = hostileValues.map((v) =>
      renderLogql(logQuery(selector(eq('log_type', 'access'), eq('namespace', v)), contains(v), labelFilter(eq('dst_service', v))))
    );
    const results = lokiParse(queries);
    results.forEach((result, i) => {
      expect({ value: hostileValues[i], result }).toEqual({ value: hostileValues[i], result: { ok: true, values: ['access', hostileValues[i], hostileValues[i]] } });
    });
  });

  it('decodes regex-escaped values to the escaped pattern', () => {
    const queries = hostileValues.map((v) => renderLogql(logQuery(selector(eq('log_type', 'access'), oneOf('namespace', [v, 'x'])))));
    lokiParse(queries).forEach((result, i) => {
      expect(result).toEqual({ ok: true, values: ['access', `${escapeRegex(hostileValues[i])}|x`] });
    });
  });
});
