import { PanelPlugin } from '@grafana/data';
import { TopologyPanel } from './TopologyPanel';
import { AUTO_COLLAPSE_SERVICES, DEFAULT_TOPOLOGY_PANEL_OPTIONS, type TopologyPanelOptions } from './types';

export const plugin = new PanelPlugin<TopologyPanelOptions>(TopologyPanel).setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'collapseLevel',
      name: 'Collapsed at first',
      description: 'Draw every group at this level as one node until it is expanded (click its box, or the node).',
      defaultValue: DEFAULT_TOPOLOGY_PANEL_OPTIONS.collapseLevel,
      settings: {
        options: [
          { value: 'auto', label: 'Auto', description: `Namespaces, past ${AUTO_COLLAPSE_SERVICES} services` },
          { value: 'none', label: 'Nothing' },
          { value: 'namespace', label: 'Namespaces' },
          { value: 'cluster', label: 'Clusters' },
          { value: 'platform', label: 'Platforms' },
        ],
      },
    })
    .addBooleanSwitch({
      path: 'edgeLabels',
      name: 'Edge labels',
      description: 'Request rate, 5xx % and p95 latency on each edge, once zoomed in far enough to read them.',
      defaultValue: DEFAULT_TOPOLOGY_PANEL_OPTIONS.edgeLabels,
    })
    .addNumberInput({
      path: 'warnPercent',
      name: '5xx warning (%)',
      description: 'Edges and services at or above this 5xx share are drawn yellow.',
      defaultValue: DEFAULT_TOPOLOGY_PANEL_OPTIONS.warnPercent,
      settings: { min: 0, max: 100 },
    })
    .addNumberInput({
      path: 'criticalPercent',
      name: '5xx critical (%)',
      description: 'Edges and services at or above this 5xx share are drawn red.',
      defaultValue: DEFAULT_TOPOLOGY_PANEL_OPTIONS.criticalPercent,
      settings: { min: 0, max: 100 },
    })
    .addNumberInput({
      path: 'focusHops',
      name: 'Focus hops',
      description: 'How many calls away from a focused service stay drawn.',
      defaultValue: DEFAULT_TOPOLOGY_PANEL_OPTIONS.focusHops,
      settings: { min: 0, max: 10, integer: true },
    })
    .addTextInput({
      path: 'strictNamespaces',
      name: 'Strict mTLS namespaces',
      description: "The logging policy's strict namespaces, comma-separated: a service there that receives plaintext gets a red badge.",
      defaultValue: DEFAULT_TOPOLOGY_PANEL_OPTIONS.strictNamespaces,
    })
    .addTextInput({
      path: 'requiredServices',
      name: 'Required services',
      description: 'Services that must ship logs, comma-separated: one with no traffic in the range gets an orange badge, or is listed when absent.',
      defaultValue: DEFAULT_TOPOLOGY_PANEL_OPTIONS.requiredServices,
    })
);
