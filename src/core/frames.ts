/**
 * The frame contract between the Mesh Audit data source (which writes these frames) and the
 * panels (which read them): frame names, field names, control statuses and edge mTLS states.
 *
 * Grafana's Node Graph names come from its own `NodeGraphDataFrameFieldNames`, bound here by type
 * only: importing @grafana/data at run time would load React and need `window`, and core must stay
 * loadable from the command line and plain Node tests.
 */
import type { NodeGraphDataFrameFieldNames as NodeGraph } from '@grafana/data';
import type { ControlStatus } from './controls/types';
import type { MtlsState } from './schema';

export const FRAME = {
  nodes: 'nodes',
  edges: 'edges',
  controls: 'controls',
  retention: 'retention',
  logs: 'logs',
} as const;

export type FrameName = (typeof FRAME)[keyof typeof FRAME];

/** The Node Graph fields Mesh Audit writes, each checked against Grafana's name for it. */
const NODE_GRAPH = {
  id: 'id',
  title: 'title',
  subTitle: 'subtitle',
  mainStat: 'mainstat',
  secondaryStat: 'secondarystat',
  source: 'source',
  target: 'target',
  detail: 'detail__',
  arc: 'arc__',
  thickness: 'thickness',
  color: 'color',
  strokeDasharray: 'strokedasharray',
} as const satisfies { readonly [K in keyof typeof NodeGraph]?: `${(typeof NodeGraph)[K]}` };

/** The `nodes` frame: one row per service (or namespace, cluster, platform at coarser grouping). */
export const NODE_FIELD = {
  id: NODE_GRAPH.id,
  title: NODE_GRAPH.title,
  subtitle: NODE_GRAPH.subTitle,
  /** Requests per second received. */
  rateIn: NODE_GRAPH.mainStat,
  /** Requests per second sent. */
  rateOut: NODE_GRAPH.secondaryStat,
  /** Arc shares of inbound requests; per node they sum to 1. */
  arcSuccess: `${NODE_GRAPH.arc}success`,
  arcErrors: `${NODE_GRAPH.arc}errors`,
  arcNoInbound: `${NODE_GRAPH.arc}no_inbound`,
  platform: `${NODE_GRAPH.detail}platform`,
  cluster: `${NODE_GRAPH.detail}cluster`,
  namespace: `${NODE_GRAPH.detail}namespace`,
  workload: `${NODE_GRAPH.detail}workload`,
} as const;

/** The `edges` frame: one row per caller → callee pair at the query's grouping level. */
export const EDGE_FIELD = {
  id: NODE_GRAPH.id,
  source: NODE_GRAPH.source,
  target: NODE_GRAPH.target,
  /** Requests per second. */
  rate: NODE_GRAPH.mainStat,
  /** 5xx percent, shown under the rate by the Node Graph. */
  errorPercentStat: NODE_GRAPH.secondaryStat,
  requests: `${NODE_GRAPH.detail}requests`,
  errorPercent: `${NODE_GRAPH.detail}error_percent`,
  p95Ms: `${NODE_GRAPH.detail}p95_ms`,
  /** One of {@link EDGE_MTLS_STATES}. */
  mtls: `${NODE_GRAPH.detail}mtls`,
  mtlsShare: `${NODE_GRAPH.detail}mtls_share`,
  thickness: NODE_GRAPH.thickness,
  color: NODE_GRAPH.color,
  strokeDasharray: NODE_GRAPH.strokeDasharray,
} as const;

/** The `controls` frame: one row per evaluated SOC 2 control. */
export const CONTROL_FIELD = {
  id: 'id',
  criterion: 'criterion',
  title: 'title',
  /** A {@link ControlStatus}; a reader treats any other value as unknown. */
  status: 'status',
  evidenceCount: 'evidence_count',
  /** The control's measured value (its catalog `measure`); null without evidence. */
  measured: 'measured',
  lastEvidence: 'last_evidence',
  detail: 'detail',
} as const;

/** A UTC day, the retention frame's unit. */
export const DAY_MS = 86_400_000;

/** The `retention` frame: one row per log class and UTC day of the range. */
export const RETENTION_FIELD = {
  logClass: 'log_class',
  day: 'day',
  lines: 'lines',
  covered: 'covered',
  requiredDays: 'required_days',
  /*
   * Written by the index-based retention query (issue 12); a frame from line counts lacks them.
   * `lines` is null there: the index counts bytes, not lines.
   */
  bytes: 'bytes',
  /** Days Loki is configured to keep the class; null when forever or unknown (see `configured`). */
  configuredDays: 'configured_days',
  /** `365d`, `forever` or `unknown`. */
  configured: 'configured',
  /** The class's status (core/retention/status.ts), the same on each of its rows. */
  status: 'status',
  reason: 'reason',
  /** On a gap day, a link to the class's lines around it in Explore; '' on other days. */
  explore: 'explore',
} as const;

/** The `logs` frame, in the field names Grafana's logs visualisation reads from a log-lines frame. */
export const LOG_FIELD = {
  labels: 'labels',
  timestamp: 'timestamp',
  body: 'body',
  tsNs: 'tsNs',
  id: 'id',
} as const;

export type { ControlStatus };

/** An edge's mTLS state: a record's state, or `partial` when only some of its requests had mTLS. */
export type EdgeMtlsState = MtlsState | 'partial';

// Records over the union, so that a status or state added to its type but not here fails to compile.
const STATUS_SET: Record<ControlStatus, true> = { pass: true, fail: true, 'no-evidence': true };
const STATE_SET: Record<EdgeMtlsState, true> = { mtls: true, partial: true, plaintext: true, unknown: true };

export const CONTROL_STATUSES = Object.keys(STATUS_SET) as readonly ControlStatus[];
export const EDGE_MTLS_STATES = Object.keys(STATE_SET) as readonly EdgeMtlsState[];

export function isControlStatus(value: unknown): value is ControlStatus {
  return typeof value === 'string' && Object.hasOwn(STATUS_SET, value);
}

export function isEdgeMtlsState(value: unknown): value is EdgeMtlsState {
  return typeof value === 'string' && Object.hasOwn(STATE_SET, value);
}
