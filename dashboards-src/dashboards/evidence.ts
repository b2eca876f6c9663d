/**
 * Audit evidence, for an auditor: over the audit window of the policy, the control table, the
 * retention table and the evidence lines of one control, each exportable as CSV, plus a note
 * on how to export them.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TextPanelBuilder, TextMode } from '@grafana/grafana-foundation-sdk/text';
import type { LoggingPolicy } from '../../src/core/policy';
import { controlVariable, CONTROL_VARIABLE } from '../controlVariable';
import { dashboardBase } from '../dashboardBase';
import { MeshAuditQueryBuilder } from '../meshAuditQuery';
import { buildDashboard } from '../panelIds';
import { logsPanel, tablePanel } from '../standardPanels';
import { FILTER_VARIABLES } from '../variableMatchers';
import { EVIDENCE_LOG_LIMIT } from './controls';
import { EVIDENCE_UID } from '../drillDownLinks';

function howToExport(policy: LoggingPolicy): string {
  const { minMtlsShare, maxErrorShare, maxSilenceMinutes } = policy.thresholds;
  return [
    '### Exporting this evidence',
    `The time range is the policy's audit window: the last **${policy.auditWindowDays} days**.`,
    'Pick the window, platform, cluster and namespace at the top before exporting; every table below follows them.',
    '',
    '- **A table as CSV:** on the panel, open the menu (⋮) → **Inspect** → **Data** → **Download CSV**. ' +
      'Turn on *Formatted data* for the values as shown, off for raw values.',
    '- **The query behind a panel:** **Inspect** → **Query** shows the request sent for the current window.',
    '- **This dashboard as JSON:** **Export** → **Export as JSON** (or *Dashboard settings* → **JSON Model**). ' +
      'It is generated from `dashboards-src/` in the Mesh Audit repository, so the file there is the reviewed version.',
    '- **Alert rules and LogQL:** `mesh-audit logql <control id>` prints the LogQL the data source runs for a control.',
    '',
    `Policy thresholds: mTLS share at least ${minMtlsShare * 100}% in strict namespaces; ` +
      `5xx share at most ${maxErrorShare * 100}% per service; required services silent at most ${maxSilenceMinutes} minutes.`,
  ].join('\n');
}

export function evidenceDashboard(policy: LoggingPolicy): Dashboard {
  const byVariables = (type: 'controls' | 'retention' | 'logs') =>
    new MeshAuditQueryBuilder(type).filterByVariables(FILTER_VARIABLES);
  return buildDashboard(
    dashboardBase({
      uid: EVIDENCE_UID,
      title: 'Mesh Audit / Audit evidence',
      description: 'SOC 2 evidence from mesh access logs over the audit window, ready to export as CSV.',
      tags: ['soc2', 'compliance', 'evidence'],
      from: `now-${policy.auditWindowDays}d`,
      refresh: '',
    })
      .withVariable(controlVariable())
      .withPanel(
        new TextPanelBuilder()
          .title('How to export')
          .mode(TextMode.Markdown)
          .content(howToExport(policy))
          .span(24)
          .height(8)
      )
      .withPanel(
        tablePanel({
          title: 'SOC 2 controls',
          description: 'One row per catalog control: status, measured value, threshold, evidence count, last evidence.',
          size: { w: 24, h: 9 },
          target: byVariables('controls').controls([]),
        })
      )
      .withPanel(
        tablePanel({
          title: 'Log retention',
          description: 'One row per log class: required, configured and observed retention.',
          size: { w: 24, h: 7 },
          target: byVariables('retention').retentionClasses([]),
        })
      )
      .withPanel(
        tablePanel({
          title: `Evidence lines: $${CONTROL_VARIABLE} (table, for CSV)`,
          description: `The log lines behind the selected control, newest ${EVIDENCE_LOG_LIMIT}, one field per column.`,
          size: { w: 24, h: 10 },
          target: byVariables('logs').logs({ controlId: `$${CONTROL_VARIABLE}`, limit: EVIDENCE_LOG_LIMIT }),
        })
      )
      .withPanel(
        logsPanel({
          title: `Evidence lines: $${CONTROL_VARIABLE}`,
          description: 'The same lines as raw log records, with details per line.',
          size: { w: 24, h: 10 },
          target: byVariables('logs').logs({ controlId: `$${CONTROL_VARIABLE}`, limit: EVIDENCE_LOG_LIMIT }),
        })
      )
  );
}
