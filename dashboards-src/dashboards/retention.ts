/**
 * Log retention coverage: required vs configured vs observed retention per log class (Mesh
 * Audit data source), and the daily volume per class computed in Loki, over a long range so
 * that gaps (days without lines) show.
 */
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { LoggingPolicy } from '../../src/core/policy';
import { dashboardBase } from '../dashboardBase';
import { lokiTarget, refId } from '../lokiTarget';
import { DAILY_INTERVAL, classDailyBytes, classDailyLines } from '../lokiQueries';
import { RetentionPanelBuilder } from '../meshAuditPanels';
import { MeshAuditQueryBuilder } from '../meshAuditQuery';
import { buildDashboard } from '../panelIds';
import { timeseriesPanel } from '../standardPanels';
import { FILTER_VARIABLES } from '../variableMatchers';

export const RETENTION_UID = 'mesh-audit-retention';

export function retentionDashboard(policy: LoggingPolicy): Dashboard {
  const classes = policy.logClasses;
  const required = classes.map((c) => `${c.name} ${c.retentionDays} d`).join(', ');
  return buildDashboard(
    dashboardBase({
      uid: RETENTION_UID,
      title: 'Mesh Audit / Log retention coverage',
      description: 'Whether mesh logs are collected every day and kept as long as the logging policy requires.',
      tags: ['retention', 'compliance'],
      from: 'now-90d',
      refresh: '',
    })
      .withRow(new RowBuilder('Retention per log class'))
      .withPanel(
        new RetentionPanelBuilder()
          .title('Retention coverage')
          .description(
            `Required, configured and observed retention per log class, with day-by-day gaps. Required: ${required}.`
          )
          .withTarget(new MeshAuditQueryBuilder('retention').filterByVariables(FILTER_VARIABLES).retentionClasses([]))
          .span(24)
          .height(12)
      )
      .withRow(new RowBuilder('Daily volume per log class'))
      .withPanel(
        timeseriesPanel({
          title: 'Lines per day by log class',
          description: 'Log lines per day in each class of the policy. A day with no bar is a day without logs.',
          unit: 'short',
          size: { w: 12, h: 9 },
          bars: true,
          interval: DAILY_INTERVAL,
          targets: classes.map((c, i) => lokiTarget(classDailyLines(c), { refId: refId(i), legendFormat: c.name })),
        })
      )
      .withPanel(
        timeseriesPanel({
          title: 'Bytes per day by log class',
          description: 'Uncompressed log bytes per day in each class of the policy (what retention stores).',
          unit: 'bytes',
          size: { w: 12, h: 9 },
          bars: true,
          interval: DAILY_INTERVAL,
          targets: classes.map((c, i) => lokiTarget(classDailyBytes(c), { refId: refId(i), legendFormat: c.name })),
        })
      )
  );
}
