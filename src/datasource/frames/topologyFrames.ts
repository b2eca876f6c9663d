import { createDataFrame, FieldType, type DataFrame, type FieldConfig } from '@grafana/data';
import { EDGE_FIELD as E, FRAME, NODE_FIELD as N, type EdgeMtlsState } from '../../core/frames';
import type { Topology, TopologyEdge, TopologyNode } from '../topology/model';

/** Node Graph draws about 200 nodes before hiding some (NodeGraph.tsx defaultNodeCountLimit). */
export const NODE_GRAPH_VISIBLE_LIMIT = 200;

const MTLS_COLORS: Record<EdgeMtlsState, string> = {
  mtls: '#56A64B',
  partial: '#F2CC0C',
  plaintext: '#E02F44',
  unknown: '#8E8E8E',
};

function title(node: TopologyNode): string {
  switch (node.level) {
    case 'platform':
      return node.platform;
    case 'cluster':
      return node.cluster;
    case 'namespace':
      return node.namespace;
    case 'workload':
      return node.workload;
  }
}

function subtitle(node: TopologyNode): string {
  const parts: Record<TopologyNode['level'], string[]> = {
    platform: [],
    cluster: [node.platform],
    namespace: [node.cluster, node.platform],
    workload: [node.namespace, node.cluster],
  };
  return parts[node.level].join(' · ');
}

const display = (displayName: string, extra: FieldConfig = {}): FieldConfig => ({ displayName, ...extra });

/** Arc shares must sum to 1 per node (Node Graph contract); a node with no inbound traffic is all "no inbound". */
function arcs(nodes: TopologyNode[]) {
  const success: number[] = [];
  const errors: number[] = [];
  const idle: number[] = [];
  for (const n of nodes) {
    if (n.requestsIn <= 0 || n.errorsIn === null) {
      success.push(0);
      errors.push(0);
      idle.push(1);
      continue;
    }
    const e = Math.min(1, n.errorsIn / n.requestsIn);
    success.push(1 - e);
    errors.push(e);
    idle.push(0);
  }
  return { success, errors, idle };
}

export function nodesFrame(topology: Topology, rangeSeconds: number, refId?: string): DataFrame {
  const nodes = topology.nodes;
  const withErrors = nodes.some((n) => n.errorsIn !== null);
  const arc = arcs(nodes);
  const fields = [
    { name: N.id, type: FieldType.string, values: nodes.map((n) => n.id) },
    { name: N.title, type: FieldType.string, values: nodes.map(title) },
    { name: N.subtitle, type: FieldType.string, values: nodes.map(subtitle) },
    {
      name: N.rateIn,
      type: FieldType.number,
      values: nodes.map((n) => n.requestsIn / rangeSeconds),
      config: display('Requests in', { unit: 'reqps' }),
    },
    {
      name: N.rateOut,
      type: FieldType.number,
      values: nodes.map((n) => n.requestsOut / rangeSeconds),
      config: display('Requests out', { unit: 'reqps' }),
    },
    ...(withErrors
      ? [
          { name: N.arcSuccess, type: FieldType.number, values: arc.success, config: display('Success', { color: { mode: 'fixed', fixedColor: 'green' } }) },
          { name: N.arcErrors, type: FieldType.number, values: arc.errors, config: display('5xx', { color: { mode: 'fixed', fixedColor: 'red' } }) },
          { name: N.arcNoInbound, type: FieldType.number, values: arc.idle, config: display('No inbound traffic', { color: { mode: 'fixed', fixedColor: 'gray' } }) },
        ]
      : []),
    { name: N.platform, type: FieldType.string, values: nodes.map((n) => n.platform || null), config: display('Platform') },
    { name: N.cluster, type: FieldType.string, values: nodes.map((n) => n.cluster || null), config: display('Cluster') },
    { name: N.namespace, type: FieldType.string, values: nodes.map((n) => n.namespace || null), config: display('Namespace') },
    { name: N.workload, type: FieldType.string, values: nodes.map((n) => n.workload || null), config: display('Workload / service') },
  ];
  const frame = createDataFrame({ name: FRAME.nodes, refId, fields, meta: { preferredVisualisationType: 'nodeGraph' } });
  if (nodes.length > NODE_GRAPH_VISIBLE_LIMIT) {
    frame.meta = {
      ...frame.meta,
      notices: [
        {
          severity: 'warning',
          text: `${nodes.length} nodes: the Node Graph shows about ${NODE_GRAPH_VISIBLE_LIMIT} before hiding some. Group by namespace or cluster, or filter by namespace.`,
        },
      ],
    };
  }
  return frame;
}

/** 1 px for a trickle up to 6 px for the busiest edge, on a log scale so small edges stay visible. */
function thickness(edges: TopologyEdge[]): number[] {
  // A loop, not a spread: Math.max(...list) overflows the call stack near 125,000 edges.
  const max = edges.reduce((m, e) => Math.max(m, e.requests), 0);
  const top = Math.log1p(max);
  return edges.map((e) => (top > 0 ? 1 + (5 * Math.log1p(e.requests)) / top : 1));
}

export function edgesFrame(topology: Topology, refId?: string): DataFrame {
  const edges = topology.edges;
  const fields = [
    { name: E.id, type: FieldType.string, values: edges.map((e) => e.id) },
    { name: E.source, type: FieldType.string, values: edges.map((e) => e.source) },
    { name: E.target, type: FieldType.string, values: edges.map((e) => e.target) },
    { name: E.rate, type: FieldType.number, values: edges.map((e) => e.ratePerSecond), config: display('Request rate', { unit: 'reqps' }) },
    { name: E.errorPercentStat, type: FieldType.number, values: edges.map((e) => e.errorPercent), config: display('Errors', { unit: 'percent' }) },
    { name: E.requests, type: FieldType.number, values: edges.map((e) => e.requests), config: display('Requests', { unit: 'short' }) },
    { name: E.errorPercent, type: FieldType.number, values: edges.map((e) => e.errorPercent), config: display('5xx %', { unit: 'percent' }) },
    { name: E.p95Ms, type: FieldType.number, values: edges.map((e) => e.p95Ms), config: display('p95 latency', { unit: 'ms' }) },
    { name: E.mtls, type: FieldType.string, values: edges.map((e) => e.mtls), config: display('mTLS') },
    { name: E.mtlsShare, type: FieldType.number, values: edges.map((e) => e.mtlsShare), config: display('mTLS share', { unit: 'percentunit' }) },
    { name: E.thickness, type: FieldType.number, values: thickness(edges) },
    { name: E.color, type: FieldType.string, values: edges.map((e) => MTLS_COLORS[e.mtls]) },
    { name: E.strokeDasharray, type: FieldType.string, values: edges.map((e) => (e.mtls === 'mtls' ? '' : '4 2')) },
  ];
  return createDataFrame({ name: FRAME.edges, refId, fields, meta: { preferredVisualisationType: 'nodeGraph' } });
}

export function topologyFrames(topology: Topology, rangeSeconds: number, refId?: string): DataFrame[] {
  return [nodesFrame(topology, rangeSeconds, refId), edgesFrame(topology, refId)];
}
