import {
  DataSourceApi,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type TestDataSourceResponse,
} from '@grafana/data';
import type { MeshAuditOptions, MeshAuditQuery } from './types';

export class MeshAuditDataSource extends DataSourceApi<MeshAuditQuery, MeshAuditOptions> {
  constructor(private readonly settings: DataSourceInstanceSettings<MeshAuditOptions>) {
    super(settings);
  }

  async query(request: DataQueryRequest<MeshAuditQuery>): Promise<DataQueryResponse> {
    return {
      data: [],
      errors: request.targets.map((target) => ({
        refId: target.refId,
        message: `Query type "${target.queryType ?? 'topology'}" is not available yet in this build of Mesh Audit.`,
      })),
    };
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (!this.settings.jsonData.lokiUid) {
      return { status: 'error', message: 'Pick the Loki data source that holds the mesh access logs.' };
    }
    return { status: 'error', message: 'The Loki check is not available yet in this build of Mesh Audit.' };
  }
}
