import type { DataQuery, DataSourceJsonData } from '@grafana/schema';
import type { MeshAuditQueryModel, QueryType } from '../core/query';

export type MeshAuditQueryType = QueryType;

/**
 * A panel target as stored in dashboard JSON: Grafana's DataQuery plus the core query model's
 * fields at the top level (dashboards-as-code and provisioning write exactly this shape).
 */
export interface MeshAuditQuery extends DataQuery, Partial<Omit<MeshAuditQueryModel, 'queryType'>> {
  queryType?: MeshAuditQueryType;
}

export interface MeshAuditOptions extends DataSourceJsonData {
  /** UID of the Loki data source that holds the mesh access logs. */
  lokiUid?: string;
}
