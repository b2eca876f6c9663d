import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, LinkModel } from '@grafana/data';
import { Button, IconButton, TextLink, useStyles2 } from '@grafana/ui';
import type { MeshAuditQueryModel } from '../../core/query';
import { BADGE_TEXT, type Badge } from './badges';
import { health, edgeHealth, type Thresholds } from './filters';
import type { VisibleEdge, VisibleGraph, VisibleNode } from './grouping';
import { edgeLogsQuery, logqlOf, nodeLogsQuery } from './links';

export type Selection = { kind: 'node' | 'edge'; id: string };

export interface SideLinks {
  /** The Explore URL that runs a `logs` query through the Mesh Audit data source. */
  explore(query: MeshAuditQueryModel): string;
  /** The frame's data links for a service row or an edge row (opened in a new tab: the panel may be drawn outside Grafana's router). */
  dataLinks(kind: 'node' | 'edge', row: number): Array<Pick<LinkModel, 'title' | 'href' | 'target'>>;
}

interface Props {
  selection: Selection;
  graph: VisibleGraph;
  byId: ReadonlyMap<string, VisibleNode>;
  links: SideLinks;
  thresholds: Thresholds;
  height: number;
  onClose(): void;
  onFocus(id: string): void;
  onToggleGroup(key: string): void;
  badges: ReadonlyMap<string, readonly Badge[]>;
}

const rate = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} req/s`);
const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} %`);

/** The numbers and links of the clicked node or edge; every value is React text, never markup. */
export function SidePanel({ selection, graph, byId, links, thresholds, height, onClose, onFocus, onToggleGroup, badges }: Props) {
  const styles = useStyles2(getStyles);
  let title = '';
  let rows: Array<[string, string]> = [];
  let query: MeshAuditQueryModel | null = null;
  let dataLinks: Array<Pick<LinkModel, 'title' | 'href' | 'target'>> = [];
  let actions: React.ReactNode = null;
  if (selection.kind === 'node') {
    const node = byId.get(selection.id);
    if (!node) {
      return null;
    }
    title = node.label;
    const inbound = graph.edges.filter((e) => e.target === node.id).length;
    const outbound = graph.edges.filter((e) => e.source === node.id).length;
    rows = [
      ['Kind', node.kind !== 'service' ? `${node.kind} (${node.services} services, collapsed)` : node.node?.workload === '' ? 'a group, as the query grouped it' : 'service'],
      ['Platform', node.platform],
      ...(node.kind !== 'platform' ? ([['Cluster', node.cluster]] as Array<[string, string]>) : []),
      ...(node.kind === 'service' || node.kind === 'namespace' ? ([['Namespace', node.namespace]] as Array<[string, string]>) : []),
      ['Requests in', rate(node.rateIn)],
      ...(node.node ? ([['Requests out', rate(node.node.rateOut)]] as Array<[string, string]>) : []),
      ['5xx share', `${pct(node.errorShare === null ? null : node.errorShare * 100)} (${health(node.errorShare, thresholds)})`],
      ['Callers / callees', `${inbound} / ${outbound}`],
      ...(badges.get(node.id) ?? []).map((b): [string, string] => ['Policy', BADGE_TEXT[b]]),
      ...(graph.internalRate.has(node.id) ? ([['Inside the group', rate(graph.internalRate.get(node.id)!)]] as Array<[string, string]>) : []),
    ];
    query = nodeLogsQuery(node);
    dataLinks = node.node ? links.dataLinks('node', node.node.row) : [];
    actions = (
      <>
        <Button size="sm" variant="secondary" onClick={() => onFocus(node.id)} data-testid="topology-focus">
          Focus
        </Button>
        {node.kind !== 'service' && (
          <Button size="sm" variant="secondary" onClick={() => onToggleGroup(node.id)} data-testid="topology-expand">
            Expand {node.kind}
          </Button>
        )}
      </>
    );
  } else {
    const edge: VisibleEdge | undefined = graph.edges.find((e) => e.id === selection.id);
    const source = edge && byId.get(edge.source);
    const target = edge && byId.get(edge.target);
    if (!edge || !source || !target) {
      return null;
    }
    title = `${source.label} → ${target.label}`;
    rows = [
      ['Request rate', rate(edge.rate)],
      ['5xx', `${pct(edge.errorPercent)} (${edgeHealth(edge, thresholds)})`],
      [edge.edgeIds.length > 1 ? 'p95 latency (highest)' : 'p95 latency', edge.p95Ms === null ? '—' : `${Math.round(edge.p95Ms)} ms`],
      ['mTLS', edge.mtls],
      ['Crosses', edge.crosses ?? 'no boundary'],
      ...(edge.edgeIds.length > 1 ? ([['Edges summed', String(edge.edgeIds.length)]] as Array<[string, string]>) : []),
    ];
    query = edgeLogsQuery(source, target);
    dataLinks = links.dataLinks('edge', edge.row);
  }
  const logql = query ? logqlOf(query) : null;
  return (
    <aside className={styles.panel} style={{ maxHeight: height }} data-testid="topology-side-panel" aria-label={`Details of ${title}`}>
      <div className={styles.head}>
        <strong className={styles.title}>{title}</strong>
        <IconButton name="times" aria-label="Close details" onClick={onClose} size="sm" />
      </div>
      <table className={styles.table}>
        <tbody>
          {rows.map(([k, v], i) => (
            <tr key={`${k}/${i}`}>
              <th>{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {query && (
        <div className={styles.links}>
          <TextLink href={links.explore(query)} external data-testid="topology-logs-link">
            Log lines (Mesh Audit logs query)
          </TextLink>
          {logql && (
            <>
              <div className={styles.caption}>LogQL for normalised logs with the default labels (the data source adapts it to its configuration):</div>
              <code className={styles.code} data-testid="topology-logql">
                {logql}
              </code>
            </>
          )}
          {dataLinks.map((l, i) => (
            <TextLink key={i} href={l.href} external data-testid="topology-data-link">
              {l.title}
            </TextLink>
          ))}
        </div>
      )}
      <div className={styles.actions}>{actions}</div>
    </aside>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({
    position: 'absolute',
    top: 0,
    right: 0,
    width: 300,
    overflowY: 'auto',
    background: theme.colors.background.elevated,
    borderLeft: `1px solid ${theme.colors.border.medium}`,
    padding: theme.spacing(1),
    boxShadow: theme.shadows.z3,
    ...theme.typography.bodySmall,
  }),
  head: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: theme.spacing(1) }),
  title: css({ overflowWrap: 'anywhere' }),
  table: css({ width: '100%', margin: theme.spacing(1, 0), th: { textAlign: 'left', fontWeight: theme.typography.fontWeightMedium, paddingRight: theme.spacing(1), color: theme.colors.text.secondary }, td: { overflowWrap: 'anywhere' } }),
  links: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  caption: css({ color: theme.colors.text.secondary }),
  code: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: 11, overflowWrap: 'anywhere', background: theme.colors.background.canvas, padding: theme.spacing(0.5) }),
  actions: css({ display: 'flex', gap: theme.spacing(1), marginTop: theme.spacing(1) }),
});
