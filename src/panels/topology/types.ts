export interface TopologyPanelOptions {
  /** Group services into boxes by this level. */
  groupBy: 'platform' | 'cluster' | 'namespace' | 'none';
}
