import { PanelPlugin } from '@grafana/data';
import { ControlsPanel } from './ControlsPanel';
import type { ControlsPanelOptions } from './types';

export const plugin = new PanelPlugin<ControlsPanelOptions>(ControlsPanel).setPanelOptions((builder) =>
  builder.addBooleanSwitch({ path: 'showPassing', name: 'Show passing controls', defaultValue: true })
);
