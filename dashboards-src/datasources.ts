/**
 * Data source references used by every generated dashboard. The UIDs are fixed by provisioning
 * (provisioning/datasources/*.yaml), so dashboards can name them directly instead of going
 * through a datasource variable.
 */
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';
import datasourcePluginJson from '../src/datasource/plugin.json';

/** Grafana's core Loki data source that holds the mesh access logs. */
export const LOKI: DataSourceRef = { type: 'loki', uid: 'loki' };

/** The Mesh Audit data source (wraps LOKI; builds LogQL and shapes frames). */
export const MESH_AUDIT: DataSourceRef = { type: datasourcePluginJson.id, uid: 'mesh-audit' };
