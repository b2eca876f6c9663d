/**
 * The suite's dashboards: file name under dashboards/ -> builder. `npm run dashboards` writes
 * each one; the drift test compares the checked-in files with `renderDashboards()`.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { LoggingPolicy } from '../src/core/policy';
import { controlsDashboard } from './dashboards/controls';
import { evidenceDashboard } from './dashboards/evidence';
import { overviewDashboard } from './dashboards/overview';
import { retentionDashboard } from './dashboards/retention';
import { toStableJson } from './stableJson';

export interface DashboardSource {
  /** File name in dashboards/ (and dist/dashboards/ after the build). */
  file: string;
  /** Name shown for the include in the app's plugin.json. */
  name: string;
  build: (policy: LoggingPolicy) => Dashboard;
}

export const DASHBOARDS: readonly DashboardSource[] = [
  { file: 'mesh-overview.json', name: 'Mesh overview', build: overviewDashboard },
  { file: 'soc2-controls.json', name: 'SOC 2 control evidence', build: controlsDashboard },
  { file: 'retention-coverage.json', name: 'Log retention coverage', build: retentionDashboard },
  { file: 'audit-evidence.json', name: 'Audit evidence', build: evidenceDashboard },
];

/** File name -> file text, exactly as written to dashboards/. */
export function renderDashboards(policy: LoggingPolicy): Map<string, string> {
  return new Map(DASHBOARDS.map((source) => [source.file, toStableJson(source.build(policy))]));
}
