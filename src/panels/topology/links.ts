import { toURLRange, urlUtil, type DataFrame, type LinkModel, type ScopedVars, type TimeRange } from '@grafana/data';
import type { DataSourceRef } from '@grafana/schema';
import { DEFAULT_POLICY } from '../../core/policy';
import { buildLogsQueries } from '../../core/queries/logs';
import { queryContext } from '../../core/queries/context';
import type { MeshAuditQueryModel } from '../../core/query';
import type { VisibleNode } from './grouping';

/** The Mesh Audit data source's plugin id, for a link when the panel's request names no data source. */
export const MESH_AUDIT_DATASOURCE_TYPE = 'meshaudit-loki-datasource';

const LOG_LINES = 100;

const one = (value: string) => (value && value !== 'unknown' ? [value] : undefined);

/** The data source's `logs` query for the lines behind a drawn node (a service, or every service of a group). */
export function nodeLogsQuery(node: VisibleNode): MeshAuditQueryModel {
  const filters = {
    ...(one(node.platform) ? { platform: one(node.platform) } : {}),
    ...(node.kind !== 'platform' && one(node.cluster) ? { cluster: one(node.cluster) } : {}),
    ...((node.kind === 'service' || node.kind === 'namespace') && one(node.namespace) ? { namespace: one(node.namespace) } : {}),
    ...(node.kind === 'service' && node.node?.workload ? { service: [node.node.workload] } : {}),
  };
  return { queryType: 'logs', filters, logs: { limit: LOG_LINES } };
}

/** The `logs` query for an edge between two services: the caller's workload to the callee's service. */
export function edgeLogsQuery(source: VisibleNode, target: VisibleNode): MeshAuditQueryModel {
  const both = (a: string, b: string) => (a === b ? one(a) : undefined);
  const filters = {
    ...(both(source.platform, target.platform) ? { platform: both(source.platform, target.platform) } : {}),
    ...(both(source.cluster, target.cluster) ? { cluster: both(source.cluster, target.cluster) } : {}),
  };
  return {
    queryType: 'logs',
    filters,
    logs: {
      ...(source.kind === 'service' && source.node?.workload ? { srcWorkload: source.node.workload } : {}),
      ...(target.kind === 'service' && target.node?.workload ? { dstService: target.node.workload } : {}),
      limit: LOG_LINES,
    },
  };
}

/**
 * The LogQL behind a `logs` query for normalised access logs with the default labels and policy.
 * The data source builds the same expression from its own configuration, which may differ (raw
 * profiles, renamed labels); the panel cannot see that configuration, and says so beside it.
 */
export function logqlOf(query: MeshAuditQueryModel): string | null {
  try {
    const queries = buildLogsQueries(query.filters, query.logs ?? { limit: LOG_LINES }, DEFAULT_POLICY, queryContext());
    return queries[0]?.expr ?? null;
  } catch {
    return null;
  }
}

/** An Explore link that runs the Mesh Audit data source's `logs` query (the log lines) over the range. */
export function exploreLogsUrl(datasource: DataSourceRef | undefined, query: MeshAuditQueryModel, range: TimeRange): string {
  const ref = datasource ?? { type: MESH_AUDIT_DATASOURCE_TYPE };
  const pane = {
    datasource: ref.uid ?? ref.type,
    queries: [{ refId: 'A', datasource: ref, ...query }],
    range: toURLRange(range.raw),
  };
  return urlUtil.renderUrl('/explore', { schemaVersion: 1, panes: JSON.stringify({ meshaudit: pane }) });
}

/** The frame's data links for a row: Grafana's own `getLinks` where the pipeline set it, else the configured links as written. */
export function dataLinks(
  frame: DataFrame | undefined,
  row: number,
  replaceVariables: (s: string, scopedVars?: ScopedVars) => string
): Array<Pick<LinkModel, 'title' | 'href' | 'target'>> {
  if (!frame || row < 0) {
    return [];
  }
  const out: Array<Pick<LinkModel, 'title' | 'href' | 'target'>> = [];
  for (const field of frame.fields) {
    if (field.getLinks) {
      out.push(...field.getLinks({ valueRowIndex: row }));
    } else {
      // The row's own values, as Grafana scopes them for a data link (${__value.raw}, ${__data.fields.x}).
      const value = field.values[row];
      const fields = Object.fromEntries(frame.fields.map((f) => [f.name, f.values[row]]));
      const scoped: ScopedVars = { __value: { value: { raw: value, text: String(value) }, text: String(value) }, __data: { value: { fields }, text: '' } };
      for (const link of field.config.links ?? []) {
        out.push({ title: link.title, href: replaceVariables(link.url, scoped), target: link.targetBlank ? '_blank' : undefined });
      }
    }
  }
  return out;
}
