import { playgroundTheme } from './bootdata';
import React from 'react';
import { createRoot } from 'react-dom/client';
import {
  createDataFrame,
  createTheme,
  EventBusSrv,
  getDefaultTimeRange,
  LoadingState,
  type DataFrameDTO,
  type PanelProps,
} from '@grafana/data';
import { GlobalStyles, PanelChrome, ThemeContext } from '@grafana/ui';
import { PANELS } from './registry';
import './editors';

/** What a test (or a person at the console) asks the playground to show. */
export interface MountRequest {
  panel: string;
  frames: DataFrameDTO[];
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
  const timeRange = getDefaultTimeRange();
  const series = request.frames.map((frame) => createDataFrame(frame));
  const props = (w: number, h: number): PanelProps<Record<string, unknown>> => ({
    id: 1,
    title: request.title ?? entry.title,
    transparent: false,
    width: w,
    height: h,
    renderCounter: 0,
    data: { state: LoadingState.Done, series, timeRange },
    timeRange,
    timeZone: 'utc',
    options: request.options ?? {},
    fieldConfig: { defaults: {}, overrides: [] },
    eventBus: new EventBusSrv(),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
  });
  root.render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div data-testid="playground-stage" data-theme={playgroundTheme} style={{ padding: 16, width: width + 32, height: height + 32, boxSizing: 'border-box' }}>
        <PanelChrome title={request.title ?? entry.title} width={width} height={height}>
          {(w, h) => <Panel {...props(w, h)} />}
        </PanelChrome>
      </div>
    </ThemeContext.Provider>
  );
}

declare global {
  interface Window {
    meshAuditPlayground: { mount: typeof mount; panels: string[] };
  }
}
window.meshAuditPlayground = { mount, panels: Object.keys(PANELS) };

// A person opening the page by hand gets a panel from the URL: ?panel=topology&theme=light
const initial = new URLSearchParams(window.location.search).get('panel');
if (initial) {
  mount({ panel: initial, frames: [] });
}
