import type { VectorSample } from '../../core/loki/types';
import type { LabelNames, TopologyGroupBy } from '../../core/query';
import type { EdgeMtlsState } from '../../core/frames';
import { nodeId, UNKNOWN, type EdgeAccumulator, type NodePlace, type Topology, type TopologyEdge, type TopologyNode } from './model';
import { reconcileReporters } from './reconcile';

/**
 * The four named topology queries' results, each already aggregated by Loki per edge key.
 * `requests`, `errors` and `mtls` are request counts over the range; `latency_p95` is in ms.
 * `mtls` may be split by an `mtls` label (mtls / plaintext / unknown) or be the mTLS count alone.
 */
export interface TopologyVectors {
  requests: VectorSample[];
  errors?: VectorSample[];
  latency_p95?: VectorSample[];
  mtls?: VectorSample[];
}

export interface JoinOptions {
  groupBy: TopologyGroupBy;
  labelNames: LabelNames;
  /** Length of the queried range, to turn counts into rates. */
  rangeSeconds: number;
}

function value(metric: Record<string, string>, name: string): string {
  const v = metric[name];
  return v === undefined || v === '' ? UNKNOWN : v;
}

function endpoints(metric: Record<string, string>, names: LabelNames): { source: NodePlace; target: NodePlace } {
  const platform = value(metric, names.platform);
  const cluster = value(metric, names.cluster);
  return {
    source: { platform, cluster, namespace: value(metric, 'src_namespace'), workload: value(metric, 'src_workload') },
    target: { platform, cluster, namespace: value(metric, 'dst_namespace'), workload: value(metric, 'dst_service') },
  };
}

/** The node a place collapses into at a grouping level; the parts finer than the level are blank. */
function atLevel(place: NodePlace, level: TopologyGroupBy): NodePlace {
  switch (level) {
    case 'platform':
      return { platform: place.platform, cluster: '', namespace: '', workload: '' };
    case 'cluster':
      return { platform: place.platform, cluster: place.cluster, namespace: '', workload: '' };
    case 'namespace':
      return { ...place, workload: '' };
    case 'workload':
      return place;
  }
}

/** Which of the eight endpoint parts identify an edge at a level (source 0-3, target 4-7). */
const KEY_PARTS: Record<TopologyGroupBy, number> = { platform: 1, cluster: 2, namespace: 3, workload: 4 };

/**
 * A cheap string key for the edge a sample belongs to (called once per sample of every measure);
 * the endpoint places are only materialised when an edge is first seen.
 */
function edgeKey(metric: Record<string, string>, options: JoinOptions): string {
  return `${value(metric, 'direction')}\u0000${placeKey(metric, options)}`;
}

function placeKey(metric: Record<string, string>, options: JoinOptions): string {
  const names = options.labelNames;
  const platform = value(metric, names.platform);
  const cluster = value(metric, names.cluster);
  switch (KEY_PARTS[options.groupBy]) {
    case 1:
      return `${platform}`;
    case 2:
      return `${platform}\u0000${cluster}`;
    case 3:
      return `${platform}\u0000${cluster}\u0000${value(metric, 'src_namespace')}\u0000${value(metric, 'dst_namespace')}`;
    default:
      return `${platform}\u0000${cluster}\u0000${value(metric, 'src_namespace')}\u0000${value(metric, 'src_workload')}\u0000${value(metric, 'dst_namespace')}\u0000${value(metric, 'dst_service')}`;
  }
}

function edgeEnds(metric: Record<string, string>, options: JoinOptions): { source: NodePlace; target: NodePlace } {
  const ends = endpoints(metric, options.labelNames);
  return { source: atLevel(ends.source, options.groupBy), target: atLevel(ends.target, options.groupBy) };
}

const isCount = (v: number) => Number.isFinite(v) && v >= 0;

export function mtlsState(requests: number, mtlsCount: number | null, plaintextCount: number, hasStates: boolean): EdgeMtlsState {
  if (mtlsCount === null || requests <= 0) {
    return UNKNOWN;
  }
  if (mtlsCount >= requests) {
    return 'mtls';
  }
  if (mtlsCount > 0) {
    return 'partial';
  }
  // Without per-state counts, zero mTLS requests may just mean the logs carry no TLS evidence.
  return hasStates && plaintextCount > 0 ? 'plaintext' : UNKNOWN;
}

/**
 * Joins the already-aggregated vectors per edge key (Loki did the heavy aggregation) and derives
 * nodes at the requested grouping level. Samples that map to the same edge at a coarser level are
 * summed; their p95 is the maximum of the parts (an upper bound, not a true merged quantile).
 */
export function joinTopology(vectors: TopologyVectors, options: JoinOptions): Topology {
  const edges = new Map<string, EdgeAccumulator>();
  let skipped = 0;

  for (const sample of vectors.requests) {
    if (!isCount(sample.value)) {
      skipped++;
      continue;
    }
    const key = edgeKey(sample.metric, options);
    const edge = edges.get(key);
    if (edge) {
      edge.requests += sample.value;
    } else {
      const { source, target } = edgeEnds(sample.metric, options);
      edges.set(key, {
        source,
        target,
        direction: value(sample.metric, 'direction'),
        requests: sample.value,
        errors: vectors.errors ? 0 : null,
        p95Ms: null,
        mtlsCount: vectors.mtls ? 0 : null,
        plaintextCount: 0,
        hasMtlsStates: false,
      });
    }
  }

  const forEachEdge = (samples: VectorSample[] | undefined, apply: (edge: EdgeAccumulator, s: VectorSample) => void) => {
    for (const sample of samples ?? []) {
      const edge = edges.get(edgeKey(sample.metric, options));
      if (!edge) {
        skipped++;
        continue;
      }
      apply(edge, sample);
    }
  };

  forEachEdge(vectors.errors, (edge, s) => {
    if (isCount(s.value)) {
      edge.errors = (edge.errors ?? 0) + s.value;
    }
  });
  forEachEdge(vectors.latency_p95, (edge, s) => {
    if (Number.isFinite(s.value)) {
      edge.p95Ms = edge.p95Ms === null ? s.value : Math.max(edge.p95Ms, s.value);
    }
  });
  forEachEdge(vectors.mtls, (edge, s) => {
    if (!isCount(s.value)) {
      return;
    }
    const state = s.metric.mtls;
    if (state === undefined) {
      edge.mtlsCount = (edge.mtlsCount ?? 0) + s.value;
      return;
    }
    edge.hasMtlsStates = true;
    if (state === 'mtls') {
      edge.mtlsCount = (edge.mtlsCount ?? 0) + s.value;
    } else if (state === 'plaintext') {
      edge.plaintextCount += s.value;
    }
  });

  const nodes = new Map<string, TopologyNode>();
  const node = (place: NodePlace): TopologyNode => {
    const id = nodeId(place);
    let n = nodes.get(id);
    if (!n) {
      n = { id, level: options.groupBy, ...place, requestsIn: 0, requestsOut: 0, errorsIn: vectors.errors ? 0 : null };
      nodes.set(id, n);
    }
    return n;
  };

  const rangeSeconds = options.rangeSeconds > 0 ? options.rangeSeconds : NaN;
  const out: TopologyEdge[] = [];
  for (const e of reconcileReporters([...edges.values()], options.groupBy)) {
    const source = node(e.source);
    const target = node(e.target);
    const id = `${source.id}->${target.id}`;
    source.requestsOut += e.requests;
    target.requestsIn += e.requests;
    if (target.errorsIn !== null && e.errors !== null) {
      target.errorsIn += e.errors;
    }
    const mtls = mtlsState(e.requests, e.mtlsCount, e.plaintextCount, e.hasMtlsStates);
    out.push({
      id,
      source: source.id,
      target: target.id,
      requests: e.requests,
      ratePerSecond: e.requests / rangeSeconds,
      errors: e.errors,
      errorPercent: e.errors !== null && e.requests > 0 ? (100 * Math.min(e.errors, e.requests)) / e.requests : null,
      p95Ms: e.p95Ms,
      mtls,
      mtlsShare: e.mtlsCount !== null && e.requests > 0 && mtls !== UNKNOWN ? Math.min(1, e.mtlsCount / e.requests) : null,
    });
  }
  return { nodes: [...nodes.values()], edges: out, skippedSeries: skipped };
}
