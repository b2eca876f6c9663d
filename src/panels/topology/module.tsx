import { PanelPlugin } from '@grafana/data';
import { TopologyPanel } from './TopologyPanel';
import { DEFAULT_TOPOLOGY_PANEL_OPTIONS, type TopologyPanelOptions } from './types';

export const plugin = new PanelPlugin<TopologyPanelOptions>(TopologyPanel).setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'laneBy',
      name: 'Swimlanes',
      description: 'Draw services in lanes by this level; columns follow call depth.',
      defaultValue: DEFAULT_TOPOLOGY_PANEL_OPTIONS.laneBy,
      settings: {
        options: [
          { value: 'platform', label: 'Platform' },
          { value: 'cluster', label: 'Cluster' },
          { value: 'namespace', label: 'Namespace' },
          { value: 'none', label: 'None' },
        ],
      },
    })
    .addBooleanSwitch({
      path: 'edgeLabels',
      name: 'Edge labels',
      description: 'Request rate, 5xx % and p95 latency on each edge.',
      defaultValue: DEFAULT_TOPOLOGY_PANEL_OPTIONS.edgeLabels,
    })
);
