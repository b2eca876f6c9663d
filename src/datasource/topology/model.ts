import type { EdgeMtlsState } from '../../core/frames';
import type { TopologyGroupBy } from '../../core/query';

/** What a place part is when its label is missing or empty: said, never guessed. */
export const UNKNOWN = 'unknown';

/** Where a node sits in the mesh; a missing label is the explicit string "unknown". */
export interface NodePlace {
  platform: string;
  cluster: string;
  namespace: string;
  workload: string;
}

export function nodeId(place: NodePlace): string {
  return JSON.stringify([place.platform, place.cluster, place.namespace, place.workload]);
}

export interface TopologyNode extends NodePlace {
  id: string;
  level: TopologyGroupBy;
  /** Requests received and sent over the range. */
  requestsIn: number;
  requestsOut: number;
  /** 5xx received; null when errors were not queried. */
  errorsIn: number | null;
}

export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  /** Requests over the whole range, and per second. */
  requests: number;
  ratePerSecond: number;
  errors: number | null;
  /** 0..100; null when errors were not queried or there were no requests. */
  errorPercent: number | null;
  p95Ms: number | null;
  /** From the share of requests with mTLS. */
  mtls: EdgeMtlsState;
  /** 0..1; null when unknown. */
  mtlsShare: number | null;
}

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  /** Series that could not be used (NaN counts, no destination...), counted, never silently dropped. */
  skippedSeries: number;
}

/** One edge while the measures are joined: one proxy side's report of requests between two places. */
export interface EdgeAccumulator {
  source: NodePlace;
  target: NodePlace;
  /** Which proxy reported these requests: the caller's (`outbound`), the callee's (`inbound`), or `unknown`. */
  direction: string;
  requests: number;
  errors: number | null;
  p95Ms: number | null;
  mtlsCount: number | null;
  plaintextCount: number;
  hasMtlsStates: boolean;
}
