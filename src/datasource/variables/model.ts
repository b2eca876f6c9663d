import type { DataSourceApi, MetricFindValue, ScopedVars, TimeRange } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import type { StreamFilters } from '../../core/query';
import type { MeshAuditOptions, MeshAuditQuery } from '../types';

export type VariableKind = 'platforms' | 'clusters' | 'namespaces' | 'services';

export const VARIABLE_KINDS: Array<{ value: VariableKind; label: string; description: string }> = [
  { value: 'platforms', label: 'Platforms', description: 'Values of the platform label on access logs' },
  { value: 'clusters', label: 'Clusters', description: 'Values of the cluster label on access logs' },
  { value: 'namespaces', label: 'Namespaces', description: 'Values of the namespace label on access logs' },
  { value: 'services', label: 'Services', description: 'Destination services that received requests in the range' },
];

/** A dashboard variable's query: which values, optionally narrowed by other filters (chained variables). */
export interface MeshAuditVariableQuery extends DataQuery {
  kind: VariableKind;
  filters?: StreamFilters;
}

export function isVariableKind(value: unknown): value is VariableKind {
  return VARIABLE_KINDS.some((k) => k.value === value);
}

/** Older dashboards may store a bare string ("namespaces"); anything else is a clear error. */
export function toVariableQuery(query: unknown): MeshAuditVariableQuery {
  if (typeof query === 'string') {
    const kind = query.trim();
    if (isVariableKind(kind)) {
      return { refId: 'variable', kind };
    }
  } else if (query && typeof query === 'object' && isVariableKind((query as MeshAuditVariableQuery).kind)) {
    return query as MeshAuditVariableQuery;
  }
  throw new Error(`Unknown variable query ${JSON.stringify(query)}; use one of: ${VARIABLE_KINDS.map((k) => k.value).join(', ')}.`);
}

/**
 * What the variable support and the filter fields need of the data source: its value lookup. They
 * take this rather than the data source class, which itself builds the variable support.
 */
export interface ValueSource extends DataSourceApi<MeshAuditQuery, MeshAuditOptions> {
  metricFindQuery(query: unknown, options?: { range?: TimeRange; scopedVars?: ScopedVars }): Promise<MetricFindValue[]>;
}
