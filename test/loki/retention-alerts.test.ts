/** @jest-environment node */
/**
 * The generated retention alert rules (provisioning/grafana/alerting/mesh-audit-retention-rules.yaml)
 * and the generator's refusal of a Loki config that keeps a class shorter than the policy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkLogqlSyntax } from '../../src/core/logql/validate';
import { renderRetentionAlertRules, retentionShortfalls } from '../../provisioning/generate/alertRules';
import { POLICY } from './policy';

const ROOT = join(__dirname, '../..');
const lokiYaml = () => parse(readFileSync(join(ROOT, 'provisioning/loki/loki.yaml'), 'utf8'));

describe('configured retention shorter than the policy', () => {
  it("is none for the project's loki.yaml", () => {
    expect(retentionShortfalls(POLICY, lokiYaml())).toEqual([]);
  });

  it('names each short class, the setting that decides and the requirement', () => {
    const config = lokiYaml();
    config.limits_config.retention_stream = [config.limits_config.retention_stream[0]];
    expect(retentionShortfalls(POLICY, config)).toEqual([
      'payments-access: Loki keeps 365d by retention_stream {log_type="access"} (priority 1) in loki.yaml; the policy requires 730d',
      'mesh-audit: Loki keeps 31d by retention_period in loki.yaml; the policy requires 400d',
    ]);
    expect(() => renderRetentionAlertRules(POLICY, config)).toThrow(
      /configured retention shorter than the policy: payments-access: .*; mesh-audit: /
    );
  });

  it("reads the stack tenant's runtime overrides, which replace the global rules", () => {
    const runtime = {
      overrides: {
        'mesh-audit': { retention_stream: [{ selector: '{log_type="audit"}', priority: 9, period: '48h' }] },
      },
    };
    expect(retentionShortfalls(POLICY, lokiYaml(), runtime).map((s) => s.split(':')[0])).toEqual([
      'mesh-access',
      'payments-access',
      'mesh-audit',
    ]);
    expect(retentionShortfalls(POLICY, lokiYaml(), runtime, 'other-tenant')).toEqual([]);
  });
});

describe('"a log class stopped receiving logs" rules (generated)', () => {
  const file = parse(readFileSync(join(ROOT, 'provisioning/grafana/alerting/mesh-audit-retention-rules.yaml'), 'utf8'));
  const rules = file.groups.flatMap((g: { rules: unknown[] }) => g.rules) as Array<Record<string, any>>;

  it('one per policy class, counting its streams over maxSilenceMinutes, firing on no data', () => {
    expect(rules.map((r) => r.labels.log_class)).toEqual(POLICY.logClasses.map((c) => c.name));
    for (const rule of rules) {
      const query = rule.data.find((d: any) => d.refId === 'A');
      const cls = POLICY.logClasses.find((c) => c.name === rule.labels.log_class)!;
      expect(checkLogqlSyntax(query.model.expr)).toBeNull();
      expect(query.model.expr).toBe(
        `sum(count_over_time({${Object.entries(cls.selector)
          .map(([k, v]) => `${k}="${v}"`)
          .join(', ')}}[${POLICY.thresholds.maxSilenceMinutes}m]))`
      );
      expect(query.relativeTimeRange.from).toBe(POLICY.thresholds.maxSilenceMinutes * 60);
      expect(rule.noDataState).toBe('Alerting');
      expect(rule.labels).toMatchObject({ suite: 'mesh-audit', severity: 'critical' });
      expect(rule.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    }
  });
});
