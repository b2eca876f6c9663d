import type { TopologyGroupBy } from '../../core/query';

/** The mesh's mTLS state on an edge, from the share of requests with mTLS. */
export type EdgeMtls = 'mtls' | 'partial' | 'plaintext' | 'unknown';

/** Where a node sits in the mesh; a missing label is the explicit string "unknown". */
export interface NodePlace {
  platform: string;
  cluster: string;
  namespace: string;
  workload: string;
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
  mtls: EdgeMtls;
  /** 0..1; null when unknown. */
  mtlsShare: number | null;
}

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  /** Series that could not be used (NaN counts, no destination...), counted, never silently dropped. */
  skippedSeries: number;
}
