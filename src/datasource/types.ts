import type { DataQuery, DataSourceJsonData } from '@grafana/schema';
import type { LabelNames, MeshAuditQueryModel, QueryType } from '../core/query';
import type { LoggingPolicy } from '../core/policy';
import type { ProfileName } from '../core/schema';

export type MeshAuditQueryType = QueryType;

/**
 * A panel target as stored in dashboard JSON: Grafana's DataQuery plus the core query model's
 * fields at the top level (dashboards-as-code and provisioning write exactly this shape).
 */
export interface MeshAuditQuery extends DataQuery, Partial<Omit<MeshAuditQueryModel, 'queryType'>> {
  queryType?: MeshAuditQueryType;
}

/**
 * How the logs in Loki are shaped: `auto` parses every known profile at query time (safe but
 * slower), `normalized` = the shipper wrote common-schema JSON, `raw` = only the listed profiles.
 */
export type LogSourceMode = 'auto' | 'normalized' | 'raw';

export interface MeshAuditOptions extends DataSourceJsonData {
  /** UID of the Loki data source that holds the mesh access logs. */
  lokiUid?: string;
  logSourceMode?: LogSourceMode;
  /** Profiles parsed at query time when logSourceMode is `raw`. */
  profiles?: ProfileName[];
  /** Loki label names for cluster, platform, namespace... (partial: missing keys use the defaults). */
  labelNames?: Partial<LabelNames>;
  /** The logging policy (partial: missing parts use DEFAULT_POLICY). */
  policy?: Partial<LoggingPolicy>;
}
