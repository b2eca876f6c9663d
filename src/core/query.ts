/**
 * The Mesh Audit query model, shared by the data source, the CLI (`mesh-audit logql`),
 * dashboards-as-code and alert rules. Grafana's DataQuery wraps it in src/datasource/types.ts.
 */
import type { ProfileName } from './schema';

export type QueryType = 'topology' | 'controls' | 'retention' | 'logs';

/** Label filters; each value is escaped by the LogQL builder, never spliced into text. */
export interface StreamFilters {
  platform?: string[];
  cluster?: string[];
  namespace?: string[];
  /** Matches `dst_service` (or `src_workload` for the logs drill-down). */
  service?: string[];
}

export type TopologyGroupBy = 'workload' | 'namespace' | 'cluster' | 'platform';

export interface TopologyOptions {
  groupBy: TopologyGroupBy;
  showErrors: boolean;
  showLatency: boolean;
  showMtls: boolean;
}

export interface LogsOptions {
  /** Drill-down target: an edge (src -> dst), a node, or a control's evidence. */
  srcWorkload?: string;
  dstService?: string;
  controlId?: string;
  limit: number;
}

export interface MeshAuditQueryModel {
  queryType: QueryType;
  filters: StreamFilters;
  topology?: TopologyOptions;
  /** Control ids from the catalog; empty = all. */
  controls?: string[];
  /** Log classes from the policy; empty = all. */
  retentionClasses?: string[];
  logs?: LogsOptions;
}

/** How the data in Loki is shaped: normalised at ingest (common-schema JSON) or raw per profile. */
export type LogSource = { kind: 'normalized' } | { kind: 'raw'; profiles: ProfileName[] };

/** Which Loki label names carry the cluster and platform (configurable per installation). */
export interface LabelNames {
  cluster: string;
  platform: string;
  namespace: string;
  mesh: string;
  logType: string;
}

export const DEFAULT_LABEL_NAMES: LabelNames = {
  cluster: 'cluster',
  platform: 'platform',
  namespace: 'namespace',
  mesh: 'mesh',
  logType: 'log_type',
};

export const DEFAULT_TOPOLOGY_OPTIONS: TopologyOptions = {
  groupBy: 'workload',
  showErrors: true,
  showLatency: true,
  showMtls: true,
};
