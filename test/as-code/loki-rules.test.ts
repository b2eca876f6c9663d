/** @jest-environment node */
import { parse } from 'yaml';
import { CONTROL_CATALOG } from '../../src/core/controls';
import { checkLogqlSyntax } from '../../src/core/logql/validate';
import { buildAlertRuleGroups, RUNBOOK_DASHBOARD_UID } from '../../provisioning/generate/alertRules';
import { CONTROLS_UID } from '../../dashboards-src/dashboards/controls';
import { buildLokiRuleGroups, lokiAlertName } from '../../provisioning/generate/lokiRules';
import { PROVISIONED_LOG_SOURCE } from '../../provisioning/generate/meshAuditDatasource';
import { readFixture } from '../support/fixtures';
import { parsePolicyYaml } from '../../provisioning/generate/policyFile';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const policy = parsePolicyYaml(readFileSync(join(__dirname, '../../policy.example.yaml'), 'utf8'));

describe('Loki ruler rules', () => {
  const groups = buildLokiRuleGroups(policy, PROVISIONED_LOG_SOURCE).groups;
  const rules = groups[0].rules;

  it('gives every in-scope control one alert named as Prometheus allows, and one for silence', () => {
    const grafana = buildAlertRuleGroups(policy, PROVISIONED_LOG_SOURCE).file.groups[0].rules;
    expect(rules.map((r) => r.alert)).toEqual([...grafana.map((r) => lokiAlertName(r.labels.soc2_control)), 'MeshAuditNoAccessLogs']);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      expect({ alert: rule.alert, problem: checkLogqlSyntax(rule.expr) }).toEqual({ alert: rule.alert, problem: null });
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    expect(CONTROL_CATALOG.filter((c) => !['continuity', 'retention', 'anomalies'].includes(c.evidence.kind)).length).toBe(grafana.length);
  });

  it("compares the Grafana rule's own query with the same threshold", () => {
    const grafana = buildAlertRuleGroups(policy, PROVISIONED_LOG_SOURCE).file.groups[0].rules;
    for (const g of grafana) {
      const rule = rules.find((r) => r.alert === lokiAlertName(g.labels.soc2_control))!;
      const [{ model }] = g.data;
      const evaluator = (g.data[2].model as { conditions: Array<{ evaluator: { type: string; params: number[] } }> }).conditions[0].evaluator;
      const comparison = ` ${evaluator.type === 'lt' ? '<' : '>'} ${evaluator.params[0]}`;
      expect(rule.expr.endsWith(comparison)).toBe(true);
      expect([model.expr, `(${model.expr})`]).toContain(rule.expr.slice(0, -comparison.length));
      expect(rule.for).toBe(g.for);
    }
  });

  it('is the file the stack mounts at /loki/rules/<tenant>/', () => {
    const file = parse(readFixture('../../provisioning/loki/rules/mesh-audit/soc2-controls.yaml'));
    expect(file).toEqual({ groups: JSON.parse(JSON.stringify(groups)) });
  });
});

describe('the runbook line of every control alert', () => {
  it('names the control and points at its evidence on the SOC 2 controls dashboard, in Grafana and Loki rules alike', () => {
    expect(RUNBOOK_DASHBOARD_UID).toBe(CONTROLS_UID);
    const grafana = buildAlertRuleGroups(policy, PROVISIONED_LOG_SOURCE).file.groups[0].rules;
    const loki = buildLokiRuleGroups(policy, PROVISIONED_LOG_SOURCE).groups[0].rules.filter((r) => 'soc2_control' in r.labels);
    expect(loki.length).toBe(grafana.length);
    for (const rule of [...grafana, ...loki]) {
      const { labels, annotations } = rule as { labels: Record<string, string>; annotations: Record<string, string> };
      expect(annotations.runbook_url).toBe(`/d/${CONTROLS_UID}?var-control=${encodeURIComponent(labels.soc2_control)}`);
      expect(annotations.runbook).toContain(`mesh-audit report --control ${labels.soc2_control}`);
    }
  });
});
