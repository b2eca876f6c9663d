import type { GroupLevel } from './grouping';

export interface TopologyPanelOptions {
  /** Groups collapsed when the panel first draws a graph: none, or every group at this level. */
  collapseLevel: GroupLevel | 'none';
  /** Rate / 5xx / p95 labels on edges when zoomed in far enough to read them. */
  edgeLabels: boolean;
  /** 5xx percent at which an edge or node turns yellow, and red. */
  warnPercent: number;
  criticalPercent: number;
  /** Hops from the focused node that "focus" keeps. */
  focusHops: number;
}

export const DEFAULT_TOPOLOGY_PANEL_OPTIONS: TopologyPanelOptions = {
  collapseLevel: 'none',
  edgeLabels: true,
  warnPercent: 1,
  criticalPercent: 5,
  focusHops: 1,
};
