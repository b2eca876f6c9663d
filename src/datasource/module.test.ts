import type { DataSourceInstanceSettings } from '@grafana/data';
import pluginJson from './plugin.json';
import { plugin } from './module';
import { MeshAuditDataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import type { MeshAuditOptions } from './types';

describe('data source plugin wiring', () => {
  it('registers the editors and the data source class', () => {
    expect(plugin.components.ConfigEditor).toBe(ConfigEditor);
    expect(plugin.components.QueryEditor).toBe(QueryEditor);
    expect(plugin.DataSourceClass).toBe(MeshAuditDataSource);
  });

  it('gives every instance variable support, metrics and logs', () => {
    const ds = new MeshAuditDataSource({ uid: 'm', jsonData: {} } as DataSourceInstanceSettings<MeshAuditOptions>);
    expect(ds.variables?.getType()).toBe('custom');
    expect(pluginJson).toMatchObject({ id: 'meshaudit-loki-datasource', type: 'datasource', metrics: true, logs: true });
  });
});
