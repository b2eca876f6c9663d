import type { SwimlaneKey } from './layout';

export interface TopologyPanelOptions {
  /** Draw services in swimlanes by this level. */
  laneBy: SwimlaneKey;
  /** Show rate / error / p95 labels on edges (busy graphs read better without). */
  edgeLabels: boolean;
}

export const DEFAULT_TOPOLOGY_PANEL_OPTIONS: TopologyPanelOptions = { laneBy: 'namespace', edgeLabels: true };
