import { DataSourcePlugin } from '@grafana/data';
import { MeshAuditDataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import type { MeshAuditOptions, MeshAuditQuery } from './types';

export const plugin = new DataSourcePlugin<MeshAuditDataSource, MeshAuditQuery, MeshAuditOptions>(MeshAuditDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
