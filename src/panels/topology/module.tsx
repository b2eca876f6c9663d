import { PanelPlugin } from '@grafana/data';
import { TopologyPanel } from './TopologyPanel';
import type { TopologyPanelOptions } from './types';

export const plugin = new PanelPlugin<TopologyPanelOptions>(TopologyPanel).setPanelOptions((builder) =>
  builder.addRadio({
    path: 'groupBy',
    name: 'Group by',
    defaultValue: 'namespace',
    settings: {
      options: [
        { value: 'platform', label: 'Platform' },
        { value: 'cluster', label: 'Cluster' },
        { value: 'namespace', label: 'Namespace' },
        { value: 'none', label: 'None' },
      ],
    },
  })
);
