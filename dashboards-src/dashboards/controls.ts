/**
 * SOC 2 control evidence: control status from the Mesh Audit data source (pass / fail / no
 * evidence against the policy), evidence volume per criterion computed in Loki, and the
 * evidence lines of one control for drill-down.
 */
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TextPanelBuilder, TextMode } from '@grafana/grafana-foundation-sdk/text';
import { controlsOf } from '../../src/core/controls';
import type { LoggingPolicy } from '../../src/core/policy';
import { buildControlQueries, controlInScope, queryContext } from '../../src/core/queries';
import { controlVariable, CONTROL_VARIABLE } from '../controlVariable';
import { controlsByCriterion, criterionName } from '../criteria';
import { dashboardBase } from '../dashboardBase';
import { evidenceLink } from '../drillDownLinks';
import { lokiTarget, refId } from '../lokiTarget';
import { AUTO, WHOLE_RANGE, controlEvidenceCount } from '../lokiQueries';
import { ControlsPanelBuilder } from '../meshAuditPanels';
import { MeshAuditQueryBuilder } from '../meshAuditQuery';
import { buildDashboard } from '../panelIds';
import { logsPanel, statPanel, thresholds, timeseriesPanel } from '../standardPanels';
import { FILTER_VARIABLES } from '../variableMatchers';

export const CONTROLS_UID = 'mesh-audit-controls';

/** Evidence lines per drill-down request; Loki's default max_entries_limit_per_query is 5000. */
export const EVIDENCE_LOG_LIMIT = 1000;

/**
 * Controls the policy leaves without scope (e.g. no strict-mTLS namespaces), with the reason the
 * query builder gives; their Loki panels are left out and the reason is shown instead.
 */
function outOfScope(policy: LoggingPolicy): Map<string, string> {
  const queries = buildControlQueries([], {}, WHOLE_RANGE, policy, queryContext());
  return new Map(queries.filter((q) => !controlInScope(q)).map((q) => [q.controlId, q.reason ?? 'out of scope']));
}

export function controlsDashboard(policy: LoggingPolicy): Dashboard {
  const skipped = outOfScope(policy);
  const builder = dashboardBase({
    uid: CONTROLS_UID,
    title: 'Mesh Audit / SOC 2 control evidence',
    description:
      'SOC 2 controls evaluated on mesh access logs against the logging policy, with the evidence behind each.',
    tags: ['soc2', 'compliance'],
    from: 'now-7d',
    refresh: '',
  })
    .withVariable(controlVariable())
    .withRow(new RowBuilder('Control status'))
    .withPanel(
      new ControlsPanelBuilder()
        .title('SOC 2 controls')
        .description('Status of every catalog control over the time range: pass, fail, or no evidence.')
        .withTarget(new MeshAuditQueryBuilder('controls').filterByVariables(FILTER_VARIABLES).controls([]))
        .panelOptions({ showPassing: true })
        .span(24)
        // A row per control and the header: every control visible without scrolling.
        .height(Math.max(10, Math.ceil(4 + 1.6 * controlsOf(policy).length)))
    )
    .withRow(new RowBuilder('Evidence by criterion'));

  for (const [criterion, controls] of controlsByCriterion(controlsOf(policy))) {
    // Retention and CC7.1 rest on a table (log classes, new edges), not on lines: no line panel.
    const onTables = controls.filter((control) => control.evidenceLogs.length === 0);
    const inScope = controls.filter((control) => !skipped.has(control.id) && control.evidenceLogs.length > 0);
    const notes = controls
      .filter((control) => skipped.has(control.id))
      .map((control) => ` Not shown: ${skipped.get(control.id)}.`)
      .join('');
    const name = `${criterion} · ${criterionName(criterion)}`;
    if (onTables.length > 0) {
      builder.withPanel(
        new TextPanelBuilder()
          .title(`${name}: evidence tables`)
          .mode(TextMode.Markdown)
          .content(
            onTables.map((c) => `**${c.id}** (${c.title}): its evidence is a table, not log lines: the reason in the controls panel above, and the CSV of the Evidence export page or \`mesh-audit report\`.`).join('\n\n')
          )
          .span(24)
          .height(3)
      );
      if (inScope.length === 0) {
        continue;
      }
    }
    if (inScope.length === 0) {
      // Say so on the dashboard: a missing panel would read as "no problem" to an auditor.
      builder.withPanel(
        new TextPanelBuilder()
          .title(`${name}: not evaluated`)
          .mode(TextMode.Markdown)
          .content(`No evidence panels for ${criterion}.${notes} Fill the list in the logging policy to evaluate it.`)
          .span(24)
          .height(3)
      );
      continue;
    }
    builder
      .withPanel(
        timeseriesPanel({
          title: `${name}: evidence lines`,
          description:
            `Log lines in each control's evidence population per interval (${inScope.map((c) => c.id).join(', ')}).` +
            notes,
          unit: 'short',
          size: { w: 16, h: 7 },
          targets: inScope.map((control, i) =>
            lokiTarget(controlEvidenceCount(control, policy, AUTO), { refId: refId(i), legendFormat: control.id })
          ),
        })
      )
      .withPanel(
        statPanel({
          title: `${criterion}: evidence lines in range`,
          description: inScope.map((control) => `${control.id}: ${control.title}.`).join(' ') + notes,
          unit: 'short',
          size: { w: 8, h: 7 },
          targets: inScope.map((control, i) =>
            lokiTarget(controlEvidenceCount(control, policy, WHOLE_RANGE), {
              refId: refId(i),
              queryType: 'instant',
              legendFormat: control.id,
            })
          ),
          // A count of evidence lines is neither good nor bad on its own: one neutral colour.
          thresholds: thresholds('blue'),
        }).links(inScope.map(evidenceLink))
      );
  }

  return buildDashboard(
    builder.withRow(new RowBuilder('Evidence drill-down')).withPanel(
      logsPanel({
        title: `Evidence lines: $${CONTROL_VARIABLE}`,
        description: `The log lines behind the selected control (newest ${EVIDENCE_LOG_LIMIT}), as the data source queries them.`,
        size: { w: 24, h: 12 },
        target: new MeshAuditQueryBuilder('logs')
          .filterByVariables(FILTER_VARIABLES)
          .logs({ controlId: `$${CONTROL_VARIABLE}`, limit: EVIDENCE_LOG_LIMIT }),
      })
    )
  );
}
