/**
 * The SDK's DashboardBuilder places panels on the grid but leaves `id` unset; Grafana would
 * assign ids on load, which makes links to a panel (`viewPanel=<id>`) unstable. Number them
 * in document order instead, including panels nested in collapsed rows.
 */
import type { Dashboard, DashboardBuilder, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';

export function assignPanelIds(dashboard: Dashboard): Dashboard {
  let next = 1;
  const number = (panel: Panel | RowPanel): void => {
    panel.id = next++;
    if (panel.type === 'row') {
      (panel as RowPanel).panels?.forEach(number);
    }
  };
  dashboard.panels?.forEach(number);
  return dashboard;
}

/** Last step of every dashboard source: build it, then number its panels. */
export function buildDashboard(builder: DashboardBuilder): Dashboard {
  return assignPanelIds(builder.build());
}
