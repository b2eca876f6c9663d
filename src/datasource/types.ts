import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

export type MeshAuditQueryType = 'topology' | 'controls' | 'retention' | 'logs';

export interface MeshAuditQuery extends DataQuery {
  queryType?: MeshAuditQueryType;
}

export interface MeshAuditOptions extends DataSourceJsonData {
  /** UID of the Loki data source that holds the mesh access logs. */
  lokiUid?: string;
}
