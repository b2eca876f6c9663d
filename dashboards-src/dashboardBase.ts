/**
 * What every Mesh Audit dashboard shares: the `mesh-audit` tag, the platform / cluster /
 * namespace variables, a links menu to the other suite dashboards (by tag, keeping time range
 * and variables), a shared crosshair and UTC time (audit evidence is read across time zones).
 */
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { filterVariables } from './variables';

export const SUITE_TAG = 'mesh-audit';

export interface DashboardBasics {
  uid: string;
  title: string;
  description: string;
  /** Extra tags besides SUITE_TAG. */
  tags: string[];
  /** Default time range start, e.g. `now-6h`. */
  from: string;
  /** Auto-refresh interval, or '' for none (long audit windows should not refresh). */
  refresh: string;
}

export function dashboardBase(basics: DashboardBasics): DashboardBuilder {
  const builder = new DashboardBuilder(basics.title)
    .uid(basics.uid)
    .description(basics.description)
    .tags([SUITE_TAG, ...basics.tags])
    .editable()
    .timezone('utc')
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: basics.from, to: 'now' })
    .variables(filterVariables())
    .link(
      new DashboardLinkBuilder('Mesh Audit')
        .type(DashboardLinkType.Dashboards)
        .tags([SUITE_TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true)
    );
  return basics.refresh ? builder.refresh(basics.refresh) : builder;
}
