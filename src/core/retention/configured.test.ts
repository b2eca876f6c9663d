/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DAY_MS } from '../frames';
import {
  limitsFromLokiConfig,
  resolveRetention,
  retentionEnabled,
  retentionLimitsOf,
  RetentionConfigError,
  type RetentionLimits,
} from './configured';

const H = 3_600_000;
const limits = (retention_period: string, retention_stream: unknown[]): RetentionLimits =>
  retentionLimitsOf({ retention_period, retention_stream }, 'test');

describe('resolveRetention, as Loki v3.7.3 expiration.go resolves a stream', () => {
  const rules = limits('744h', [
    { selector: '{log_type="access"}', priority: 1, period: '8760h' },
    { selector: '{log_type="access", namespace="payments"}', priority: 3, period: '17520h' },
    { selector: '{log_type="audit"}', priority: 2, period: '9600h' },
    { selector: '{namespace="payments"}', priority: 3, period: '2400h' },
    { selector: '{namespace=~"dev|test-.*"}', priority: 5, period: '48h' },
    { selector: '{log_type="debug", namespace!="payments"}', priority: 1, period: '24h' },
  ]);
  it.each([
    ['no rule matches: retention_period', { log_type: 'app' }, 744, null],
    ['one rule', { log_type: 'access', namespace: 'shop' }, 8760, '{log_type="access"}'],
    [
      'several rules: the highest priority wins over a longer lower one',
      { log_type: 'audit', namespace: 'dev' },
      48,
      '{namespace=~"dev|test-.*"}',
    ],
    [
      'a tie in priority goes to the shorter period',
      { log_type: 'access', namespace: 'payments' },
      2400,
      '{namespace="payments"}',
    ],
    ['a regex is anchored at both ends', { log_type: 'access', namespace: 'xdev' }, 8760, '{log_type="access"}'],
    ['a regex alternative with a wildcard', { log_type: 'x', namespace: 'test-7' }, 48, '{namespace=~"dev|test-.*"}'],
    [
      '!= matches a stream without the label (its value is "")',
      { log_type: 'debug' },
      24,
      '{log_type="debug", namespace!="payments"}',
    ],
    ['!= excludes the named value', { log_type: 'debug', namespace: 'payments' }, 2400, '{namespace="payments"}'],
  ])('%s', (_name, labels, hours, selector) => {
    const resolved = resolveRetention(rules, labels);
    expect(resolved.periodMs).toBe(hours * H);
    expect(resolved.rule?.selector ?? null).toBe(selector);
  });

  it('keeps the earlier of two rules equal in priority and period', () => {
    const tie = limits('0s', [
      { selector: '{a="1"}', priority: 2, period: '10d' },
      { selector: '{b="1"}', priority: 2, period: '240h' },
    ]);
    expect(resolveRetention(tie, { a: '1', b: '1' }).rule?.selector).toBe('{a="1"}');
  });

  it("0 keeps forever, and a missing retention_period is Loki's default 0s", () => {
    expect(resolveRetention(limits('0s', []), { a: 'b' }).periodMs).toBe(0);
    expect(retentionLimitsOf({}, 'x').retentionPeriodMs).toBe(0);
    expect(retentionLimitsOf({ retention_period: 0 }, 'x').retentionPeriodMs).toBe(0);
  });

  it("reads Loki's own printed durations (y = 365d) and a missing priority as 0", () => {
    const l = retentionLimitsOf(
      { retention_period: '31d', retention_stream: [{ selector: '{a="b"}', period: '1y' }] },
      'x'
    );
    expect(l.retentionPeriodMs).toBe(31 * DAY_MS);
    expect(l.rules[0]).toMatchObject({ priority: 0, periodMs: 365 * DAY_MS });
  });

  it.each([
    [{ retention_period: 'a year' }, /retention_period is "a year", not a duration/],
    [{ retention_stream: {} }, /retention_stream should be a list/],
    [
      { retention_stream: [{ selector: '{a="b"} |= "x"', period: '24h' }] },
      /retention_stream\[0\]\.selector: .*no pipeline/,
    ],
    [{ retention_stream: [{ selector: '{a="b"}', priority: 1.5, period: '24h' }] }, /priority should be an integer/],
    [{ retention_stream: [{ selector: '{a=~"(?<x"}', period: '24h' }] }, /not one Mesh Audit can evaluate/],
    [{ retention_stream: [{ period: '24h' }] }, /selector should be a stream selector string/],
  ])('says what is wrong with %j', (bad, message) => {
    expect(() => retentionLimitsOf(bad, 'test')).toThrow(RetentionConfigError);
    expect(() => retentionLimitsOf(bad, 'test')).toThrow(message);
  });
});

describe('limitsFromLokiConfig', () => {
  const config = {
    compactor: { retention_enabled: true },
    limits_config: {
      retention_period: '744h',
      retention_stream: [{ selector: '{log_type="access"}', priority: 1, period: '8760h' }],
    },
  };

  it("a tenant's overrides replace the global keys as a whole, other tenants keep the global ones", () => {
    const runtime = {
      overrides: { acme: { retention_stream: [{ selector: '{log_type="audit"}', priority: 1, period: '48h' }] } },
    };
    const acme = limitsFromLokiConfig(config, runtime, 'acme');
    expect(acme.retentionPeriodMs).toBe(744 * H);
    expect(acme.rules.map((r) => r.selector)).toEqual(['{log_type="audit"}']);
    expect(resolveRetention(acme, { log_type: 'access' }).periodMs).toBe(744 * H);
    expect(acme.source).toBe('loki.yaml with the runtime overrides of tenant acme');
    const other = limitsFromLokiConfig(config, runtime, 'other');
    expect(resolveRetention(other, { log_type: 'access' }).periodMs).toBe(8760 * H);
    expect(
      limitsFromLokiConfig(config, { overrides: { acme: { retention_period: '0s' } } }, 'acme').retentionPeriodMs
    ).toBe(0);
  });

  it("reads the project's provisioning/loki/loki.yaml: one rule per policy class, 31 days for the rest", () => {
    const yaml = parse(readFileSync(join(__dirname, '../../../provisioning/loki/loki.yaml'), 'utf8'));
    expect(retentionEnabled(yaml)).toBe(true);
    const l = limitsFromLokiConfig(yaml, undefined, 'mesh-audit');
    const days = (labels: Record<string, string>) => resolveRetention(l, labels).periodMs / DAY_MS;
    expect(days({ log_type: 'access', namespace: 'shop' })).toBe(365);
    expect(days({ log_type: 'access', namespace: 'payments' })).toBe(730);
    expect(days({ log_type: 'audit', namespace: 'payments' })).toBe(400);
    expect(days({ log_type: 'app' })).toBe(31);
  });

  it('a config without retention_enabled keeps everything', () => {
    expect(retentionEnabled({ compactor: {} })).toBe(false);
    expect(retentionEnabled(undefined)).toBe(false);
  });
});
