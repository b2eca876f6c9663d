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
  /** The workload / service name; '' for a node that stands for a whole namespace, cluster or platform. */
  workload: string;
  /** Requests per second into the node; null when the frame has no such stat or it is not a rate. */
  rateIn: number | null;
  rateOut: number | null;
  /** 5xx share of inbound requests, 0..1; null when unknown or the node has no inbound traffic. */
  errorShare: number | null;
  /** Row in the nodes frame (-1 when derived from the edges), for the frame's data links. */
  row: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  rate: number | null;
  requests: number | null;
  errorPercent: number | null;
  p95Ms: number | null;
  mtls: EdgeMtlsState;
  mtlsShare: number | null;
  /** Row in the edges frame, for the frame's data links. */
  row: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Edges whose source or target is not a node of the nodes frame (drawn nowhere, counted here). */
  danglingEdges: number;
  /** Rows whose id repeats an earlier row's: the first is kept, the rest counted. */
  duplicateNodes: number;
  duplicateEdges: number;
}

const UNKNOWN = 'unknown';

const str = (f: Field | undefined, i: number, fallback = ''): string => {
  const v = f?.values[i];
  return v === null || v === undefined || v === '' ? fallback : String(v);
};

/** A stat the panel can draw: finite and not negative (a negative rate or percentage is a broken frame). */
const num = (f: Field | undefined, i: number): number | null => {
  const v = f?.values[i];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
};

const share = (v: number | null, max: number): number | null => (v === null ? null : Math.min(1, v / max));

function placeholder(id: string): GraphNode {
  return { id, title: id, subtitle: '', platform: UNKNOWN, cluster: UNKNOWN, namespace: UNKNOWN, workload: id, rateIn: null, rateOut: null, errorShare: null, row: -1 };
}

/**
 * Reads the `nodes` and `edges` frames (Grafana's Node Graph contract, as the Mesh Audit data source
 * returns them). Without a nodes frame, nodes are derived from the edges, as the Node Graph does.
 */
export function readGraph(nodesFrame: DataFrame | undefined, edgesFrame: DataFrame): Graph {
  const edgeIds = requireField(edgesFrame, E.id);
  const sources = requireField(edgesFrame, E.source);
  const targets = requireField(edgesFrame, E.target);
  const edgeRate = field(edgesFrame, E.rate);
  const edgeRequests = field(edgesFrame, E.requests);
  const edgeErrors = field(edgesFrame, E.errorPercent) ?? field(edgesFrame, E.errorPercentStat);
  const edgeP95 = field(edgesFrame, E.p95Ms);
  const edgeMtls = field(edgesFrame, E.mtls);
  const edgeMtlsShare = field(edgesFrame, E.mtlsShare);

  const nodes: GraphNode[] = [];
  const known = new Set<string>();
  let duplicateNodes = 0;
  if (nodesFrame) {
    const ids = requireField(nodesFrame, N.id);
    const titles = field(nodesFrame, N.title);
    const subtitles = field(nodesFrame, N.subtitle);
    const rateIn = field(nodesFrame, N.rateIn);
    const rateOut = field(nodesFrame, N.rateOut);
    const arcErrors = field(nodesFrame, N.arcErrors);
    const arcIdle = field(nodesFrame, N.arcNoInbound);
    const platform = field(nodesFrame, N.platform);
    const cluster = field(nodesFrame, N.cluster);
    const namespace = field(nodesFrame, N.namespace);
    const workload = field(nodesFrame, N.workload);
    for (let i = 0; i < nodesFrame.length; i++) {
      const id = str(ids, i);
      if (id === '' || known.has(id)) {
        duplicateNodes += id === '' ? 0 : 1;
        continue;
      }
      known.add(id);
      const title = str(titles, i, id);
      nodes.push({
        id,
        title,
        subtitle: str(subtitles, i),
        platform: str(platform, i, UNKNOWN),
        cluster: str(cluster, i, UNKNOWN),
        namespace: str(namespace, i, UNKNOWN),
        // A frame grouped coarser than workloads has the field but no value: the node is a namespace
        // (or cluster, platform), and nothing may filter its lines by a service of that name.
        workload: workload ? str(workload, i) : title,
        rateIn: num(rateIn, i),
        rateOut: num(rateOut, i),
        errorShare: num(arcIdle, i) === 1 ? null : share(num(arcErrors, i), 1),
        row: i,
      });
    }
  }

  const derive = !nodesFrame;
  const edges: GraphEdge[] = [];
  const edgeSeen = new Set<string>();
  let danglingEdges = 0;
  let duplicateEdges = 0;
  for (let i = 0; i < edgesFrame.length; i++) {
    const source = str(sources, i);
    const target = str(targets, i);
    const id = str(edgeIds, i, `${source}->${target}`);
    if (edgeSeen.has(id)) {
      duplicateEdges++;
      continue;
    }
    if (derive) {
      for (const end of [source, target]) {
        if (end !== '' && !known.has(end)) {
          known.add(end);
          nodes.push(placeholder(end));
        }
      }
    }
    if (!known.has(source) || !known.has(target)) {
      danglingEdges++;
      continue;
    }
    edgeSeen.add(id);
    const mtls = str(edgeMtls, i);
    const errorPercent = num(edgeErrors, i);
    edges.push({
      id,
      source,
      target,
      rate: num(edgeRate, i),
      requests: num(edgeRequests, i),
      errorPercent: errorPercent === null ? null : Math.min(100, errorPercent),
      p95Ms: num(edgeP95, i),
      mtls: isEdgeMtlsState(mtls) ? mtls : 'unknown',
      mtlsShare: share(num(edgeMtlsShare, i), 1),
      row: i,
    });
  }
  return { nodes, edges, danglingEdges, duplicateNodes, duplicateEdges };
}
