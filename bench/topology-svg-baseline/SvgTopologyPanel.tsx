/** The topology panel as it was before the canvas rewrite (SVG swimlanes, at most 300 services): the baseline `npm run bench topology` compares against. */
import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { PanelEmptyState } from '../../src/components/PanelEmptyState';
import { EDGE_MTLS_STATES, FRAME, type EdgeMtlsState } from '../../src/core/frames';
import { findFrame, readFrame } from '../../src/panels/frames/findFrame';
import { readGraph, type Graph, type GraphEdge, type GraphNode } from '../../src/panels/topology/graphModel';
import { layoutGraph, LAYOUT } from './layout';
import { DEFAULT_TOPOLOGY_PANEL_OPTIONS, type TopologyPanelOptions } from './types';

const NODE_RADIUS = 14;
/** Beyond this the drawing stops being readable; the user should group coarser or filter. */
const MAX_DRAWN_NODES = 300;

/** Renders the `nodes` / `edges` frames of a topology query as swimlanes of services. */
export function TopologyPanel({ data, width, height, options }: PanelProps<TopologyPanelOptions>) {
  const opts = { ...DEFAULT_TOPOLOGY_PANEL_OPTIONS, ...options };
  const edgesFrame = findFrame(data.series, FRAME.edges);
  const nodesFrame = findFrame(data.series, FRAME.nodes);
  const read = useMemo(() => (edgesFrame ? readFrame(() => readGraph(nodesFrame, edgesFrame)) : undefined), [nodesFrame, edgesFrame]);

  if (read instanceof Error) {
    return <PanelEmptyState testId="topology-panel-error" title="Cannot draw this topology" detail={read.message} />;
  }
  if (!read || read.nodes.length === 0) {
    return (
      <PanelEmptyState
        testId="topology-panel-empty"
        title="No mesh traffic to draw"
        detail={
          data.series.length === 0
            ? 'The query returned no frames. Check the time range and the Mesh Audit data source query type (topology).'
            : 'The query returned no edges with traffic. Use the Mesh Audit data source with query type "topology", or widen the time range.'
        }
      />
    );
  }
  if (read.nodes.length > MAX_DRAWN_NODES) {
    return (
      <PanelEmptyState
        testId="topology-panel-too-many"
        title={`${read.nodes.length} services are too many to draw`}
        detail={`This panel draws up to ${MAX_DRAWN_NODES}. Group the query by namespace or cluster, or filter by namespace.`}
      />
    );
  }
  return <TopologyDrawing graph={read} width={width} height={height} options={opts} />;
}

interface DrawingProps {
  graph: Graph;
  width: number;
  height: number;
  options: TopologyPanelOptions;
}

function TopologyDrawing({ graph, width, height, options }: DrawingProps) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const layout = useMemo(() => layoutGraph(graph, options.laneBy), [graph, options.laneBy]);
  const legendHeight = 24;
  const colors = mtlsColors(theme);
  return (
    <div className={styles.wrapper} data-testid="topology-panel" style={{ width, height }}>
      <svg
        className={styles.svg}
        width={width}
        height={Math.max(height - legendHeight, 50)}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        preserveAspectRatio="xMidYMid meet"
        role="img"
        aria-label={`Mesh topology: ${graph.nodes.length} services, ${graph.edges.length} edges`}
      >
        <defs>
          {EDGE_MTLS_STATES.map((state) => (
            <marker key={state} id={`arrow-${state}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill={colors[state]} />
            </marker>
          ))}
        </defs>
        {layout.lanes.map((lane) =>
          lane.key === '' ? null : (
            <g key={lane.key} data-testid="topology-lane">
              <rect x={4} y={lane.y} width={layout.width - 8} height={lane.height} rx={6} className={styles.lane} />
              <text x={14} y={lane.y + 18} className={styles.laneLabel}>
                {lane.key}
              </text>
            </g>
          )
        )}
        {graph.edges.map((edge) => {
          const from = layout.nodes.get(edge.source);
          const to = layout.nodes.get(edge.target);
          return from && to ? (
            <EdgePath key={edge.id} edge={edge} from={from} to={to} color={colors[edge.mtls]} labels={options.edgeLabels} styles={styles} />
          ) : null;
        })}
        {[...layout.nodes.values()].map(({ node, x, y }) => (
          <g key={node.id} data-testid="topology-node" data-node-id={node.id} transform={`translate(${x},${y})`}>
            <title>{nodeTooltip(node)}</title>
            <circle r={NODE_RADIUS} fill={nodeColor(theme, node)} className={styles.node} />
            <text y={NODE_RADIUS + 12} textAnchor="middle" className={styles.nodeTitle}>
              {truncate(node.title, 26)}
            </text>
          </g>
        ))}
      </svg>
      <div className={styles.legend} data-testid="topology-legend">
        {EDGE_MTLS_STATES.map((state) => (
          <span key={state} className={styles.legendItem}>
            <svg width={22} height={8} aria-hidden>
              <line x1={0} y1={4} x2={22} y2={4} stroke={colors[state]} strokeWidth={3} strokeDasharray={dash(state)} />
            </svg>
            {MTLS_LABELS[state]}
          </span>
        ))}
        <span className={styles.legendItem}>
          {graph.nodes.length} services · {graph.edges.length} edges
          {graph.danglingEdges > 0 ? ` · ${graph.danglingEdges} edges without nodes not drawn` : ''}
        </span>
      </div>
    </div>
  );
}

interface EdgePathProps {
  edge: GraphEdge;
  from: { x: number; y: number };
  to: { x: number; y: number };
  color: string;
  labels: boolean;
  styles: ReturnType<typeof getStyles>;
}

function EdgePath({ edge, from, to, color, labels, styles }: EdgePathProps) {
  const self = edge.source === edge.target;
  const x1 = from.x + NODE_RADIUS;
  const x2 = to.x - NODE_RADIUS - 2;
  // Backward or same-column edges bend out so they do not hide behind nodes.
  const bend = x2 <= x1 ? LAYOUT.column / 2 : (x2 - x1) / 2;
  const d = self
    ? `M ${from.x} ${from.y - NODE_RADIUS} c 30 -40 60 0 ${NODE_RADIUS} ${NODE_RADIUS}`
    : `M ${x1} ${from.y} C ${x1 + bend} ${from.y}, ${x2 - bend} ${to.y}, ${x2} ${to.y}`;
  const label = edgeLabel(edge);
  return (
    <g data-testid="topology-edge" data-edge-id={edge.id} data-mtls={edge.mtls}>
      <title>{edgeTooltip(edge)}</title>
      <path d={d} fill="none" stroke={color} strokeWidth={edgeWidth(edge.rate)} strokeDasharray={dash(edge.mtls)} markerEnd={`url(#arrow-${edge.mtls})`} />
      {labels && label && !self && (
        <text x={(x1 + x2) / 2} y={(from.y + to.y) / 2 - 4} textAnchor="middle" className={styles.edgeLabel}>
          {label}
        </text>
      )}
    </g>
  );
}

const MTLS_LABELS: Record<EdgeMtlsState, string> = {
  mtls: 'mTLS',
  partial: 'partly mTLS',
  plaintext: 'plaintext',
  unknown: 'mTLS unknown',
};

function mtlsColors(theme: GrafanaTheme2): Record<EdgeMtlsState, string> {
  const c = (name: string) => theme.visualization.getColorByName(name);
  return { mtls: c('green'), partial: c('orange'), plaintext: c('red'), unknown: theme.colors.text.disabled };
}

const dash = (state: EdgeMtlsState) => (state === 'plaintext' ? '6 4' : state === 'unknown' ? '2 4' : undefined);

function edgeWidth(rate: number | null): number {
  return rate === null || rate <= 0 ? 1 : Math.min(6, 1 + Math.log10(1 + rate * 10));
}

function nodeColor(theme: GrafanaTheme2, node: GraphNode): string {
  const c = (name: string) => theme.visualization.getColorByName(name);
  if (node.errorShare === null) {
    return theme.colors.text.disabled;
  }
  return node.errorShare >= 0.05 ? c('red') : node.errorShare >= 0.01 ? c('orange') : c('green');
}

const fmt = (v: number, digits = 1) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(digits));

function edgeLabel(edge: GraphEdge): string {
  const parts: string[] = [];
  if (edge.rate !== null) {
    parts.push(`${fmt(edge.rate, 2)} rps`);
  }
  if (edge.errorPercent !== null && edge.errorPercent > 0) {
    parts.push(`${fmt(edge.errorPercent)}% 5xx`);
  }
  if (edge.p95Ms !== null) {
    parts.push(`p95 ${fmt(edge.p95Ms, 0)} ms`);
  }
  return parts.join(' · ');
}

function edgeTooltip(edge: GraphEdge): string {
  return `${edge.source} → ${edge.target}\n${edgeLabel(edge) || 'no stats'}\n${MTLS_LABELS[edge.mtls]}`;
}

function nodeTooltip(node: GraphNode): string {
  const err = node.errorShare === null ? 'no inbound traffic' : `${fmt(node.errorShare * 100)}% 5xx in`;
  const rate = node.rateIn === null ? '' : `${fmt(node.rateIn, 2)} rps in · `;
  return `${node.title}\n${node.subtitle}\n${rate}${err}`;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ display: 'flex', flexDirection: 'column', overflow: 'hidden' }),
  svg: css({ flex: '1 1 auto', display: 'block' }),
  lane: css({ fill: theme.colors.background.secondary, stroke: theme.colors.border.weak }),
  laneLabel: css({ fill: theme.colors.text.secondary, fontSize: 12, fontFamily: theme.typography.fontFamily }),
  node: css({ stroke: theme.colors.background.primary, strokeWidth: 2 }),
  nodeTitle: css({ fill: theme.colors.text.primary, fontSize: 11, fontFamily: theme.typography.fontFamily }),
  edgeLabel: css({ fill: theme.colors.text.secondary, fontSize: 10, fontFamily: theme.typography.fontFamily }),
  legend: css({
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'center',
    height: 24,
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
  }),
  legendItem: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
});
