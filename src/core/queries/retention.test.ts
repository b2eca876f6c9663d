/** @jest-environment node */
import { parse } from 'yaml';
import { checkLogqlSyntax } from '../logql/validate';
import { decodedStrings } from '../../../test/support/logql';
import { DEFAULT_POLICY, type LoggingPolicy } from '../policy';
import { DEFAULT_LABEL_NAMES } from '../query';
import { buildClassSilenceQueries, buildRetentionQueries, RETENTION_STEP_MS } from './retention';
import { readFixture } from '../../../test/support/fixtures';

const EXAMPLE_POLICY = parse(
  readFixture('queries/policy.example.yaml')
) as LoggingPolicy;

describe('buildRetentionQueries', () => {
  it('builds a daily volume query per log class of a real policy file, with a 1d step', () => {
    const queries = buildRetentionQueries([], {}, EXAMPLE_POLICY, DEFAULT_LABEL_NAMES);
    expect(queries.map((q) => [q.name, q.expr, q.stepMs, q.requiredDays])).toEqual(
      EXAMPLE_POLICY.logClasses.map((c) => [c.name, expect.stringMatching(/^sum\(count_over_time\(\{.*\}\[1d\]\)\)$/), RETENTION_STEP_MS, c.retentionDays])
    );
    const payments = queries.find((q) => q.name === 'payments-access');
    expect(payments?.expr).toBe('sum(count_over_time({log_type="access", namespace="payments"}[1d]))');
    queries.forEach((q) => expect(checkLogqlSyntax(q.expr)).toBeNull());
    expect(RETENTION_STEP_MS).toBe(86_400_000);
  });

  it('selects classes by name and lists the defined names for an unknown one', () => {
    expect(buildRetentionQueries(['mesh-audit'], {}, DEFAULT_POLICY, DEFAULT_LABEL_NAMES).map((q) => q.expr)).toEqual([
      'sum(count_over_time({log_type="audit"}[1d]))',
    ]);
    expect(() => buildRetentionQueries(['nope'], {}, DEFAULT_POLICY, DEFAULT_LABEL_NAMES)).toThrow(
      'unknown log class "nope"; the policy defines: mesh-access, mesh-audit'
    );
  });

  it('narrows by escaped stream filters and rejects empty or invalid class selectors', () => {
    const [q] = buildRetentionQueries(['mesh-access'], { cluster: ['eu"1'], service: ['ignored'] }, DEFAULT_POLICY, DEFAULT_LABEL_NAMES);
    expect(decodedStrings(q.expr)).toEqual(['access', 'eu"1']);
    const empty: LoggingPolicy = { ...DEFAULT_POLICY, logClasses: [{ name: 'all', selector: {}, retentionDays: 30 }] };
    expect(() => buildRetentionQueries([], {}, empty, DEFAULT_LABEL_NAMES)).toThrow(/log class "all" has an empty selector/);
    const bad: LoggingPolicy = { ...DEFAULT_POLICY, logClasses: [{ name: 'x', selector: { 'log-type': 'a' }, retentionDays: 30 }] };
    expect(() => buildRetentionQueries([], {}, bad, DEFAULT_LABEL_NAMES)).toThrow(/invalid label name "log-type"/);
    const onlyEmpty: LoggingPolicy = { ...DEFAULT_POLICY, logClasses: [{ name: 'x', selector: { log_type: '' }, retentionDays: 30 }] };
    expect(() => buildRetentionQueries([], {}, onlyEmpty, DEFAULT_LABEL_NAMES)).toThrow(/excludes the empty value/);
  });
});

describe('buildClassSilenceQueries', () => {
  it('counts each class over the alert window, values escaped', () => {
    const hostile: LoggingPolicy = { ...DEFAULT_POLICY, logClasses: [{ name: 'x', selector: { log_type: 'a"}' }, retentionDays: 30 }] };
    const [q] = buildClassSilenceQueries(hostile, DEFAULT_LABEL_NAMES, 60 * 60_000);
    expect(q.expr).toBe('sum(count_over_time({log_type="a\\"}"}[1h]))');
    expect(checkLogqlSyntax(q.expr)).toBeNull();
    expect(buildClassSilenceQueries(EXAMPLE_POLICY, DEFAULT_LABEL_NAMES, 60 * 60_000).map((s) => s.name)).toEqual(EXAMPLE_POLICY.logClasses.map((c) => c.name));
  });
});
