export interface ControlsPanelOptions {
  /** Show controls that pass, or only those that fail or lack evidence. */
  showPassing: boolean;
}
