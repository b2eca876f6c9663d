import type { DataFrame, Field } from '@grafana/data';
import { EDGE_FIELD as E, isEdgeMtlsState, NODE_FIELD as N, type EdgeMtlsState } from '../../core/frames';
import { fieldOf as field, requireField } from '../frames/findFrame';

/** The panel's own view of a topology: what it draws, read from Node Graph-shaped frames. */
export interface GraphNode {
  id: string;
  title: string;
  subtitle: string;
  platform: string;
  cluster: string;
  namespace: string;
  /** Requests per second into the node; null when the frame has no such stat. */
  rateIn: number | null;
  /** 5xx share of inbound requests, 0..1; null when unknown. */
  errorShare: number | null;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  rate: number | null;
  errorPercent: number | null;
  p95Ms: number | null;
  mtls: EdgeMtlsState;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Edges whose source or target is not a node of the nodes frame (drawn nowhere, counted here). */
  danglingEdges: number;
}

const str = (f: Field | undefined, i: number, fallback = ''): string => {
  const v = f?.values[i];
  return v === null || v === undefined ? fallback : String(v);
};

const num = (f: Field | undefined, i: number): number | null => {
  const v = f?.values[i];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/**
 * Reads the `nodes` and `edges` frames (Grafana's Node Graph contract, as the Mesh Audit data source
 * returns them). Without a nodes frame, nodes are derived from the edges, as the Node Graph does.
 */
export function readGraph(nodesFrame: DataFrame | undefined, edgesFrame: DataFrame): Graph {
  const edgeIds = requireField(edgesFrame, E.id);
  const sources = requireField(edgesFrame, E.source);
  const targets = requireField(edgesFrame, E.target);
  const edgeRate = field(edgesFrame, E.rate);
  const edgeErrors = field(edgesFrame, E.errorPercent) ?? field(edgesFrame, E.errorPercentStat);
  const edgeP95 = field(edgesFrame, E.p95Ms);
  const edgeMtls = field(edgesFrame, E.mtls);

  const nodes: GraphNode[] = [];
  if (nodesFrame) {
    const ids = requireField(nodesFrame, N.id);
    const titles = field(nodesFrame, N.title);
    const subtitles = field(nodesFrame, N.subtitle);
    const rateIn = field(nodesFrame, N.rateIn);
    const arcErrors = field(nodesFrame, N.arcErrors);
    const arcIdle = field(nodesFrame, N.arcNoInbound);
    const platform = field(nodesFrame, N.platform);
    const cluster = field(nodesFrame, N.cluster);
    const namespace = field(nodesFrame, N.namespace);
    for (let i = 0; i < nodesFrame.length; i++) {
      const id = str(ids, i);
      const idle = num(arcIdle, i) === 1;
      nodes.push({
        id,
        title: str(titles, i, id),
        subtitle: str(subtitles, i),
        platform: str(platform, i, 'unknown'),
        cluster: str(cluster, i, 'unknown'),
        namespace: str(namespace, i, 'unknown'),
        rateIn: num(rateIn, i),
        errorShare: idle ? null : num(arcErrors, i),
      });
    }
  }

  const known = new Set(nodes.map((n) => n.id));
  const derive = !nodesFrame;
  const edges: GraphEdge[] = [];
  let danglingEdges = 0;
  for (let i = 0; i < edgesFrame.length; i++) {
    const source = str(sources, i);
    const target = str(targets, i);
    if (derive) {
      for (const id of [source, target]) {
        if (!known.has(id)) {
          known.add(id);
          nodes.push({ id, title: id, subtitle: '', platform: 'unknown', cluster: 'unknown', namespace: 'unknown', rateIn: null, errorShare: null });
        }
      }
    } else if (!known.has(source) || !known.has(target)) {
      danglingEdges++;
      continue;
    }
    const mtls = str(edgeMtls, i);
    edges.push({
      id: str(edgeIds, i),
      source,
      target,
      rate: num(edgeRate, i),
      errorPercent: num(edgeErrors, i),
      p95Ms: num(edgeP95, i),
      mtls: isEdgeMtlsState(mtls) ? mtls : 'unknown',
    });
  }
  return { nodes, edges, danglingEdges };
}
