/**
 * Grafana-managed alert rules for the SOC 2 control catalog, in Grafana's file-provisioning
 * format. The Mesh Audit data source is frontend-only and alerting runs in Grafana's backend, so
 * each rule queries the Loki data source with the LogQL that src/core/queries builds for the
 * panels: an instant query for the control's measured value, reduced to one number, compared
 * with the policy threshold. One query source, so panel and alert cannot disagree.
 */
import { stringify } from 'yaml';
import { controlsOf, passThreshold, type ControlDefinition } from '../../src/core/controls';
import { buildControlQueries, queryContext } from '../../src/core/queries';
import { buildClassSilenceQueries } from '../../src/core/queries/retention';
import { DAY_MS } from '../../src/core/frames';
import { limitsFromLokiConfig, resolveRetention } from '../../src/core/retention/configured';
import { checkLogqlSyntax } from '../../src/core/logql/validate';
import type { LoggingPolicy } from '../../src/core/policy';
import { DEFAULT_LABEL_NAMES, type LogSource } from '../../src/core/query';
import { LOKI_DATASOURCE_UID } from './meshAuditDatasource';

const MINUTE = 60_000;

/** How each control is watched; a control without an entry gets DEFAULT_WATCH. */
interface Watch {
  /** Window of the evidence query. */
  rangeMs: number;
  /** How long the condition must hold before the alert fires. */
  for: string;
  severity: 'critical' | 'warning';
}

const DEFAULT_WATCH: Watch = { rangeMs: 60 * MINUTE, for: '5m', severity: 'warning' };

const WATCH: Record<string, Watch> = {
  // Plaintext into a strict namespace is a finding on its own: no grace period.
  'CC6.7-mtls': { rangeMs: 15 * MINUTE, for: '0s', severity: 'critical' },
  'CC6.1-authz-denials': { rangeMs: 60 * MINUTE, for: '15m', severity: 'warning' },
  'CC6.6-boundary-denials': { rangeMs: 60 * MINUTE, for: '15m', severity: 'warning' },
  'CC7.2-error-anomaly': { rangeMs: 10 * MINUTE, for: '5m', severity: 'warning' },
  // A silent required service is a gap in the audit evidence itself.
  'CC7.2-log-coverage': { rangeMs: 30 * MINUTE, for: '5m', severity: 'critical' },
};

export const watchOf = (controlId: string): Watch => WATCH[controlId] ?? DEFAULT_WATCH;

/** The SOC 2 controls dashboard (dashboards-src/dashboards/controls.ts CONTROLS_UID; test/as-code checks they agree). */
export const RUNBOOK_DASHBOARD_UID = 'mesh-audit-controls';

/** What whoever is paged does next, and where: the control's evidence, then the auditor's copy of it. */
export function runbookOf(controlId: string): { runbook_url: string; runbook: string } {
  return {
    runbook_url: `/d/${RUNBOOK_DASHBOARD_UID}?var-control=${encodeURIComponent(controlId)}`,
    runbook:
      `Open the SOC 2 control evidence dashboard on ${controlId} (its reason in the controls panel, its lines in Evidence drill-down), ` +
      `find the cause in those requests, and keep the population for the auditor: mesh-audit report --control ${controlId}.`,
  };
}

export const ALERT_FOLDER = 'Mesh Audit';
export const ALERT_GROUP = 'soc2-controls';

const EXPR_DATASOURCE = { type: '__expr__', uid: '__expr__' };

export function ruleUid(controlId: string): string {
  const uid = `mesh-audit-${controlId.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  // Grafana rule UIDs are at most 40 characters of [a-zA-Z0-9-_].
  if (uid.length > 40) {
    throw new Error(`alert rule uid ${uid} is longer than Grafana's 40 characters`);
  }
  return uid;
}

function ruleFor(control: ControlDefinition, expr: string, policy: LoggingPolicy) {
  const watch = watchOf(control.id);
  const problem = checkLogqlSyntax(expr);
  if (problem) {
    throw new Error(`control ${control.id}: generated LogQL does not parse: ${problem.message}`);
  }
  const { atLeast, threshold } = passThreshold(control, policy);
  const comparison = atLeast ? 'lt' : 'gt';
  const rangeSeconds = watch.rangeMs / 1000;
  return {
    uid: ruleUid(control.id),
    title: `${control.id}: ${control.title}`,
    condition: 'C',
    data: [
      {
        refId: 'A',
        queryType: 'instant',
        relativeTimeRange: { from: rangeSeconds, to: 0 },
        datasourceUid: LOKI_DATASOURCE_UID,
        model: {
          refId: 'A',
          datasource: { type: 'loki', uid: LOKI_DATASOURCE_UID },
          editorMode: 'code',
          queryType: 'instant',
          expr,
          intervalMs: 60_000,
          maxDataPoints: 43_200,
        },
      },
      {
        refId: 'B',
        relativeTimeRange: { from: 0, to: 0 },
        datasourceUid: '__expr__',
        model: { refId: 'B', datasource: EXPR_DATASOURCE, type: 'reduce', expression: 'A', reducer: 'last' },
      },
      {
        refId: 'C',
        relativeTimeRange: { from: 0, to: 0 },
        datasourceUid: '__expr__',
        model: {
          refId: 'C',
          datasource: EXPR_DATASOURCE,
          type: 'threshold',
          expression: 'B',
          conditions: [{ evaluator: { type: comparison, params: [threshold] } }],
        },
      },
    ],
    // No access logs at all means no evidence: for an auditor that is a finding, not silence.
    noDataState: 'Alerting',
    execErrState: 'Error',
    for: watch.for,
    labels: { suite: 'mesh-audit', soc2_control: control.id, criterion: control.criterion, severity: watch.severity },
    annotations: {
      summary: control.title,
      description: control.description,
      measure: `${control.measure}; fires when ${comparison === 'lt' ? 'below' : 'above'} ${threshold} over the last ${rangeSeconds / 60} minutes, or when there is no evidence.`,
      ...runbookOf(control.id),
    },
    isPaused: false,
  };
}

export function buildAlertRuleGroups(policy: LoggingPolicy, source: LogSource) {
  const skipped: string[] = [];
  const rules = controlsOf(policy).flatMap((control) => {
    const watch = watchOf(control.id);
    const [query] = buildControlQueries([control.id], {}, watch.rangeMs, policy, queryContext({ source }));
    if (query.judgedBy) {
      skipped.push(
        `${control.id} (${query.judgedBy === 'retention' ? "judged from Loki's index and limits; mesh-audit-retention-rules.yaml alerts on a class that stopped receiving logs" : "judged against each service's own baseline over the whole window; CC7.2-error-anomaly and CC7.2-log-coverage alert live"})`
      );
      return [];
    }
    if (query.expr === null) {
      skipped.push(`${control.id} (${query.reason})`);
      return [];
    }
    if (query.stepMs !== undefined) {
      skipped.push(`${control.id} (judged over the whole audit window; its live alert is CC7.2-log-coverage's)`);
      return [];
    }
    return [ruleFor(control, query.expr, policy)];
  });
  return {
    skipped,
    file: { apiVersion: 1, groups: [{ orgId: 1, name: ALERT_GROUP, folder: ALERT_FOLDER, interval: '1m', rules }] },
  };
}

export function renderAlertRules(policy: LoggingPolicy, source: LogSource): string {
  const { file, skipped } = buildAlertRuleGroups(policy, source);
  const header = [
    '# GENERATED by `npm run generate:provisioning` from the control catalog (src/core/controls),',
    '# the query builders (src/core/queries) and policy.example.yaml; do not edit by hand.',
    '# Grafana-managed alert rules over the Loki data source (uid `loki`): the Mesh Audit data source',
    '# is frontend-only and Grafana alerting evaluates rules in the backend.',
    ...(skipped.length > 0 ? [`# Not generated: ${skipped.join('; ')}`] : []),
  ].join('\n');
  return `${header}\n${stringify(file, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

export const RETENTION_ALERT_GROUP = 'log-retention';
/** The tenant the stack writes as (.env.example LOKI_TENANT). */
export const STACK_TENANT = 'mesh-audit';

/**
 * Log classes whose configured retention in the Loki config (and runtime overrides) is shorter
 * than the policy requires, resolved as Loki's compactor does for a stream carrying the class's
 * labels. Grafana alerting cannot read Loki's limits (a frontend-only data source has no backend
 * to do it), so "configured retention shorter than policy" is refused here, when the provisioning
 * is generated, and shown live by the retention panel's `configured-short` status.
 */
export function retentionShortfalls(policy: LoggingPolicy, lokiConfig: unknown, runtimeOverrides?: unknown, tenant = STACK_TENANT): string[] {
  const limits = limitsFromLokiConfig(lokiConfig, runtimeOverrides, tenant);
  return policy.logClasses.flatMap((c) => {
    const resolved = resolveRetention(limits, c.selector);
    if (resolved.periodMs === 0 || resolved.periodMs >= c.retentionDays * DAY_MS) {
      return [];
    }
    const by = resolved.rule ? `retention_stream ${resolved.rule.selector} (priority ${resolved.rule.priority})` : 'retention_period';
    return [`${c.name}: Loki keeps ${resolved.periodMs / DAY_MS}d by ${by} in ${limits.source}; the policy requires ${c.retentionDays}d`];
  });
}

/** "A log class stopped receiving logs": no line of the class for the policy's maxSilenceMinutes. */
export function buildRetentionAlertRules(policy: LoggingPolicy) {
  const rangeMs = policy.thresholds.maxSilenceMinutes * MINUTE;
  const rules = buildClassSilenceQueries(policy, DEFAULT_LABEL_NAMES, rangeMs).map((q) => {
    const problem = checkLogqlSyntax(q.expr);
    if (problem) {
      throw new Error(`log class ${q.name}: generated LogQL does not parse: ${problem.message}`);
    }
    return {
      uid: ruleUid(`silent-${q.name}`),
      title: `Log class ${q.name} stopped receiving logs`,
      condition: 'C',
      data: [
        {
          refId: 'A',
          queryType: 'instant',
          relativeTimeRange: { from: rangeMs / 1000, to: 0 },
          datasourceUid: LOKI_DATASOURCE_UID,
          model: { refId: 'A', datasource: { type: 'loki', uid: LOKI_DATASOURCE_UID }, editorMode: 'code', queryType: 'instant', expr: q.expr, intervalMs: 60_000, maxDataPoints: 43_200 },
        },
        {
          refId: 'B',
          relativeTimeRange: { from: 0, to: 0 },
          datasourceUid: '__expr__',
          model: { refId: 'B', datasource: EXPR_DATASOURCE, type: 'reduce', expression: 'A', reducer: 'last' },
        },
        {
          refId: 'C',
          relativeTimeRange: { from: 0, to: 0 },
          datasourceUid: '__expr__',
          model: { refId: 'C', datasource: EXPR_DATASOURCE, type: 'threshold', expression: 'B', conditions: [{ evaluator: { type: 'lt', params: [1] } }] },
        },
      ],
      // No line at all is exactly what this rule is about: Loki answers an empty vector then.
      noDataState: 'Alerting',
      execErrState: 'Error',
      for: '5m',
      labels: { suite: 'mesh-audit', log_class: q.name, severity: 'critical' },
      annotations: {
        summary: `No line of log class ${q.name} in the last ${policy.thresholds.maxSilenceMinutes} minutes`,
        description: `Every day without lines is a gap in the ${policy.logClasses.find((c) => c.name === q.name)!.retentionDays}-day retention the policy requires for ${q.name}.`,
      },
      isPaused: false,
    };
  });
  return { apiVersion: 1, groups: [{ orgId: 1, name: RETENTION_ALERT_GROUP, folder: ALERT_FOLDER, interval: '1m', rules }] };
}

export function renderRetentionAlertRules(policy: LoggingPolicy, lokiConfig: unknown, runtimeOverrides?: unknown): string {
  const short = retentionShortfalls(policy, lokiConfig, runtimeOverrides);
  if (short.length > 0) {
    throw new Error(`configured retention shorter than the policy: ${short.join('; ')}`);
  }
  const header = [
    '# GENERATED by `npm run generate:provisioning` from policy.example.yaml and provisioning/loki/loki.yaml;',
    '# do not edit by hand. One rule per log class: the class stopped receiving logs.',
    "# Configured retention shorter than the policy is refused when generating (Loki's limits are not",
    "# queryable by Grafana alerting); the retention panel shows it live as `configured-short`.",
  ].join('\n');
  return `${header}\n${stringify(buildRetentionAlertRules(policy), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
