/**
 * The dashboard view of the playground: a dashboard JSON from dashboards/ laid out on Grafana's
 * 24-column grid, with the Mesh Audit panels drawn for real from the demo frames and every other
 * panel (Grafana's own timeseries, stat, nodeGraph, logs, table, text) as a labelled placeholder.
 * Grafana is not here: the placeholders say so instead of imitating Grafana's panels.
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PanelChrome, useStyles2 } from '@grafana/ui';
import auditEvidence from '../../dashboards/audit-evidence.json';
import meshOverview from '../../dashboards/mesh-overview.json';
import retentionCoverage from '../../dashboards/retention-coverage.json';
import soc2Controls from '../../dashboards/soc2-controls.json';
import { demoTimeRange, playgroundDemo } from './demo/browser';
import type { DemoPanel } from './demo';
import { panelProps } from './panelProps';
import { PANELS } from './registry';

interface DashboardPanel {
  id: number;
  type: string;
  title?: string;
  description?: string;
  gridPos: { h: number; w: number; x: number; y: number };
  options?: Record<string, unknown>;
  targets?: Array<{ expr?: string; queryType?: string; datasource?: { type?: string } }>;
}

interface DashboardJson {
  uid: string;
  title: string;
  time?: { from: string; to: string };
  panels: DashboardPanel[];
}

/** The dashboards the playground can show, by uid, with the file they come from. */
export const DASHBOARDS: Record<string, { file: string; json: DashboardJson }> = Object.fromEntries(
  (
    [
      ['mesh-overview', meshOverview],
      ['soc2-controls', soc2Controls],
      ['retention-coverage', retentionCoverage],
      ['audit-evidence', auditEvidence],
    ] as Array<[string, DashboardJson]>
  ).map(([file, json]) => [json.uid, { file, json }])
);

/** Our panel types (src/panels/<name>/plugin.json ids) -> playground panel names. */
const OUR_PANELS: Record<string, DemoPanel> = {
  'meshaudit-topology-panel': 'topology',
  'meshaudit-controls-panel': 'controls',
  'meshaudit-retention-panel': 'retention',
};

// Grafana's grid: 24 columns, 30 px rows, 8 px gaps (public/app/core/constants.ts).
export const GRID_COLUMNS = 24;
export const GRID_CELL_HEIGHT = 30;
export const GRID_MARGIN = 8;

export function gridToPixels(gridPos: DashboardPanel['gridPos'], width: number) {
  const column = (width - GRID_MARGIN * (GRID_COLUMNS - 1)) / GRID_COLUMNS;
  return {
    left: Math.round(gridPos.x * (column + GRID_MARGIN)),
    top: gridPos.y * (GRID_CELL_HEIGHT + GRID_MARGIN),
    width: Math.round(gridPos.w * column + (gridPos.w - 1) * GRID_MARGIN),
    height: gridPos.h * GRID_CELL_HEIGHT + (gridPos.h - 1) * GRID_MARGIN,
  };
}

function OurPanel({ panel, name, width, height }: { panel: DashboardPanel; name: DemoPanel; width: number; height: number }) {
  const Panel = PANELS[name].component;
  const timeRange = demoTimeRange();
  const series = playgroundDemo().frames(name);
  const input = { id: panel.id, title: panel.title ?? '', series, timeRange, options: panel.options ?? {} };
  return (
    <div data-testid="dashboard-panel" data-panel-type={panel.type} data-drawn="true" style={{ width, height }}>
      <PanelChrome title={panel.title} description={panel.description} width={width} height={height}>
        {(w, h) => <Panel {...panelProps(input, w, h)} />}
      </PanelChrome>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  placeholder: css({
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    border: `1px dashed ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.secondary,
    overflow: 'hidden',
  }),
  label: css({ color: theme.colors.text.primary, fontWeight: theme.typography.fontWeightMedium }),
  query: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    overflow: 'hidden',
  }),
  text: css({ whiteSpace: 'pre-wrap', overflow: 'auto', fontSize: theme.typography.bodySmall.fontSize }),
  row: css({
    display: 'flex',
    alignItems: 'flex-end',
    height: '100%',
    fontSize: theme.typography.h5.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    color: theme.colors.text.primary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  header: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), marginBottom: theme.spacing(2) }),
  title: css({ fontSize: theme.typography.h3.fontSize, color: theme.colors.text.primary, margin: 0 }),
  note: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});

function queryOf(panel: DashboardPanel): string | null {
  const target = panel.targets?.[0];
  if (!target) {
    return null;
  }
  if (target.expr) {
    return `Loki: ${target.expr}`;
  }
  return target.queryType ? `Mesh Audit data source: ${target.queryType} query` : null;
}

function Placeholder({ panel, width, height }: { panel: DashboardPanel; width: number; height: number }) {
  const styles = useStyles2(getStyles);
  const query = queryOf(panel);
  const content = panel.type === 'text' && typeof panel.options?.content === 'string' ? panel.options.content : null;
  return (
    <div data-testid="dashboard-panel" data-panel-type={panel.type} data-drawn="false" style={{ width, height }}>
      <PanelChrome title={panel.title} width={width} height={height}>
        {() => (
          <div className={styles.placeholder} data-testid="panel-placeholder">
            <div className={styles.label}>Grafana {panel.type} panel — rendered by Grafana itself</div>
            {content !== null ? <div className={styles.text}>{content}</div> : query && <div className={styles.query}>{query}</div>}
          </div>
        )}
      </PanelChrome>
    </div>
  );
}

function fmt(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export function DashboardView({ uid, width }: { uid: string; width: number }) {
  const styles = useStyles2(getStyles);
  const entry = DASHBOARDS[uid];
  if (!entry) {
    throw new Error(`Unknown dashboard "${uid}". Known: ${Object.keys(DASHBOARDS).join(', ')}`);
  }
  const { json } = entry;
  const demo = playgroundDemo();
  const bottom = Math.max(...json.panels.map((p) => gridToPixels(p.gridPos, width)).map((r) => r.top + r.height));
  return (
    <div data-testid="dashboard-view" data-uid={uid} style={{ width }}>
      <div className={styles.header}>
        <h1 className={styles.title}>{json.title}</h1>
        <div className={styles.note}>
          Playground: Mesh Audit panels drawn by the data source from a real Loki&apos;s recorded answers for loggen&apos;s window ({fmt(demo.range.fromMs)}–
          {fmt(demo.range.toMs).slice(11)} UTC; test/fixtures/loki-recorded). Grafana&apos;s own panels are placeholders. The dashboard&apos;s own time range is{' '}
          {json.time ? `${json.time.from} to ${json.time.to}` : 'unset'}.
        </div>
      </div>
      <div style={{ position: 'relative', width, height: bottom }}>
        {json.panels.map((panel) => {
          const box = gridToPixels(panel.gridPos, width);
          const ours = OUR_PANELS[panel.type];
          return (
            <div key={panel.id} style={{ position: 'absolute', ...box }}>
              {panel.type === 'row' ? (
                <div className={styles.row} data-testid="dashboard-row">
                  {panel.title}
                </div>
              ) : ours ? (
                <OurPanel panel={panel} name={ours} width={box.width} height={box.height} />
              ) : (
                <Placeholder panel={panel} width={box.width} height={box.height} />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
