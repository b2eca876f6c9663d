import type { GroupLevel } from './grouping';

export interface TopologyPanelOptions {
  /**
   * Groups collapsed when the panel first draws a graph: none, every group at this level, or
   * `auto`: namespaces once there are more services than {@link AUTO_COLLAPSE_SERVICES}.
   */
  collapseLevel: GroupLevel | 'none' | 'auto';
  /** Rate / 5xx / p95 labels on edges when zoomed in far enough to read them. */
  edgeLabels: boolean;
  /** 5xx percent at which an edge or node turns yellow, and red. */
  warnPercent: number;
  criticalPercent: number;
  /** Hops from the focused node that "focus" keeps. */
  focusHops: number;
  /** The policy's strict-mTLS namespaces (comma-separated): plaintext into them gets a badge. */
  strictNamespaces: string;
  /** The policy's required services (comma-separated): one without logs gets a badge or is listed. */
  requiredServices: string;
}

/** Past this many services, `auto` starts with every namespace collapsed: thousands of edges at once read as a blur. */
export const AUTO_COLLAPSE_SERVICES = 500;

export const DEFAULT_TOPOLOGY_PANEL_OPTIONS: TopologyPanelOptions = {
  collapseLevel: 'auto',
  edgeLabels: true,
  warnPercent: 1,
  criticalPercent: 5,
  focusHops: 1,
  strictNamespaces: '',
  requiredServices: '',
};
