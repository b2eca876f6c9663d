import { playgroundTheme } from './bootdata';
import React from 'react';
import { createRoot } from 'react-dom/client';
import {
  createDataFrame,
  createTheme,
  getDefaultTimeRange,
  type DataFrameDTO,
} from '@grafana/data';
import { GlobalStyles, PanelChrome, ThemeContext } from '@grafana/ui';
import { panelProps } from './panelProps';
import { PANELS } from './registry';
import './editors';
import './evidence';
import { DASHBOARDS, DashboardView } from './dashboard';
import { demoTimeRange, isDemoPanel, loadDemo, playgroundDemo } from './demo/browser';
import { topologyFrames } from '../../src/datasource/frames/topologyFrames';
import { ISSUE_SHAPE, RANGE_S, syntheticTopology, type MeshShape } from '../../bench/topology-mesh';

/** What a test (or a person at the console) asks the playground to show. */
export interface MountRequest {
  panel: string;
  frames?: DataFrameDTO[];
  /** Draw the topology panel from a generated mesh (bench/topology-mesh.ts) through the data source's frame builder. */
  generated?: { services: number; shape?: Partial<MeshShape> };
  /** Draw the panel from the demo frames (recorded real Loki answers, test/playground/demo) instead of `frames`. */
  demo?: boolean;
  options?: Record<string, unknown>;
  width?: number;
  height?: number;
  title?: string;
}

const theme = createTheme({ colors: { mode: playgroundTheme } });
const root = createRoot(document.getElementById('root')!);

function mount(request: MountRequest): void {
  const entry = PANELS[request.panel];
  if (!entry) {
    throw new Error(`Unknown panel "${request.panel}". Known: ${Object.keys(PANELS).join(', ')}`);
  }
  const Panel = entry.component;
  const width = request.width ?? 800;
  const height = request.height ?? 450;
  const demo = request.demo === true && isDemoPanel(request.panel) ? request.panel : null;
  const timeRange = demo ? demoTimeRange() : getDefaultTimeRange();
  const series = demo
    ? playgroundDemo().frames(demo)
    : request.generated
      ? topologyFrames(syntheticTopology(request.generated.services, { ...ISSUE_SHAPE, ...request.generated.shape }), RANGE_S, 'A')
      : (request.frames ?? []).map((frame) => createDataFrame(frame));
  const input = { id: 1, title: request.title ?? entry.title, series, timeRange, options: request.options ?? {} };
  root.render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div data-testid="playground-stage" data-theme={playgroundTheme} style={{ padding: 16, width: width + 32, height: height + 32, boxSizing: 'border-box' }}>
        <PanelChrome title={request.title ?? entry.title} width={width} height={height}>
          {(w, h) => <Panel {...panelProps(input, w, h)} />}
        </PanelChrome>
      </div>
    </ThemeContext.Provider>
  );
}

/** Renders a dashboard from dashboards/ by uid (test/playground/dashboard.tsx). */
function mountDashboard(uid: string, options: { width?: number } = {}): void {
  root.render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div data-testid="playground-stage" data-theme={playgroundTheme} style={{ padding: 16, width: (options.width ?? 1600) + 32, boxSizing: 'border-box' }}>
        <DashboardView uid={uid} width={options.width ?? 1600} />
      </div>
    </ThemeContext.Provider>
  );
}

declare global {
  interface Window {
    meshAuditPlayground: { mount: typeof mount; mountDashboard: typeof mountDashboard; panels: string[]; dashboards: string[] };
  }
}
// The demo frames come from replaying recorded Loki answers through the data source (async), so the
// page offers its API only once they are ready: tests wait for `meshAuditPlayground`.
loadDemo().then(
  () => {
    window.meshAuditPlayground = { mount, mountDashboard, panels: Object.keys(PANELS), dashboards: Object.keys(DASHBOARDS) };
    // A person opening the page by hand gets a panel from the URL: ?panel=topology&theme=light
    // (&demo=1 for the demo data), or a dashboard: ?dashboard=mesh-audit-overview
    const query = new URLSearchParams(window.location.search);
    const initial = query.get('panel');
    const initialDashboard = query.get('dashboard');
    if (initialDashboard) {
      mountDashboard(initialDashboard);
    } else if (initial) {
      mount({ panel: initial, frames: [], demo: query.get('demo') === '1' });
    }
  },
  (error: unknown) => {
    document.getElementById('root')!.textContent = `The demo data could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
  }
);
