/** Plugin ids are hard-coded in each plugin.json too: the build's %PLUGIN_ID% only ever means the app. */
export const PLUGIN_IDS = {
  app: 'meshaudit-suite-app',
  datasource: 'meshaudit-loki-datasource',
  topologyPanel: 'meshaudit-topology-panel',
  controlsPanel: 'meshaudit-controls-panel',
  retentionPanel: 'meshaudit-retention-panel',
} as const;
