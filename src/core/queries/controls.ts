/**
 * Control evidence queries from the catalog: one metric query per control (raw profiles are
 * combined inside LogQL, so a share stays one ratio), which alert rules evaluate and which the
 * data source sends for coverage controls (share and count controls it reads from
 * control-table.ts), plus the newest evidence line's query.
 */
import { controlsOf, getControl, passThreshold, type ControlDefinition } from '../controls';
import {
  LogqlError,
  MS,
  absentOverTime,
  aggregate,
  binary,
  by,
  countOverTime,
  eq,
  logQuery,
  num,
  renderLogql,
  selector,
  sum,
  vector,
  withLabel,
  zeroFilled,
  type MetricExpr,
  type RangeDuration,
} from '../logql';
import type { LoggingPolicy } from '../policy';
import type { StreamFilters } from '../query';
import { accessLogQuery, accessPipelines, accessSelector, withLineFilters, type QueryContext } from './context';
import { evidenceCountKeys } from './control-evidence-count';
import { fieldFiltersExpr, policyListValues, policyListsUsed, recordLineFilters, type FieldFilter } from './field-filter';
import { buildNewestEvidenceQueries, type LogsQuery } from './logs';

const SIDES = ['inbound', 'outbound'] as const;

/** Label that keeps per-profile series apart before they are summed (raw sources). */
export const PROFILE_LABEL = 'mesh_audit_profile';

export interface ControlQuery {
  controlId: string;
  /** Metric query whose single value is the control's measured value; null when out of scope. */
  expr: string | null;
  /**
   * Set for continuity controls: `expr` is then a range query with this step, one count per
   * instance and bucket (evidence/continuity.ts), which no instant alert rule can evaluate.
   */
  stepMs?: number;
  /** Why there is no query (e.g. the policy list the control depends on is empty). */
  reason?: string;
  /** The newest evidence line, one query per pipeline (logs.ts buildNewestEvidenceQueries); its time only. */
  newest: LogsQuery[];
  /**
   * Set for controls in scope with no LogQL measure of their own: retention controls (the plan's
   * retention queries: Loki's index and limits) and the baseline-anomaly control (evidence/anomalies.ts).
   */
  judgedBy?: 'retention' | 'anomalies';
  /**
   * Set for new-edge controls, what the data source sends instead of `expr` (the alert rules' single
   * value). `baselineEdges`, one query per pipeline: the edges of the baseline days, which the
   * window's edges from the counts table are checked against; each is sent only when Loki's index
   * has a byte of its `selector`'s streams in the baseline (`index/volume`). Without the table (too many series):
   * `list`, the new edges themselves, one series each, and `baseline`, whether the baseline holds any line.
   */
  edges?: { baselineEdges: Array<{ selector: string; expr: string }>; baselineMs: number; list: string; baseline: string };
}

/** Whether the control is measured at all (retention and anomaly controls have no LogQL, yet are in scope). */
export function controlInScope(q: ControlQuery): boolean {
  return q.expr !== null || q.judgedBy !== undefined;
}

export class UnknownControlError extends LogqlError {
  constructor(id: string, policy?: LoggingPolicy) {
    super(`unknown control ${JSON.stringify(id)}; valid ids: ${controlsOf(policy).map((c) => c.id).join(', ')}`);
  }
}

/** `sum [by (keys)] (count_over_time(...))` over every access pipeline of the source. */
function countRequests(
  ctx: QueryContext,
  filters: StreamFilters,
  match: readonly FieldFilter[],
  policy: LoggingPolicy,
  range: RangeDuration,
  keys: readonly string[]
): MetricExpr {
  const grouping = keys.length > 0 ? by(...keys) : undefined;
  const fieldExpr = fieldFiltersExpr(match, policy);
  const lines = recordLineFilters(match, policy);
  const parts = accessPipelines(ctx).map((pipeline) => ({
    profile: pipeline.profile,
    expr: sum(countOverTime(accessLogQuery(ctx, withLineFilters(pipeline, lines), filters, [fieldExpr], undefined, keys), range), grouping),
  }));
  if (parts.length === 1) {
    return parts[0].expr;
  }
  // Same label sets from two profiles would collapse under `or`; a profile label keeps them apart.
  const union = parts
    .map((part) => withLabel(part.expr, PROFILE_LABEL, part.profile ?? 'normalized'))
    .reduce((left, right) => binary('or', left, right));
  return sum(union, grouping);
}

function evidenceExpr(control: ControlDefinition, ctx: QueryContext, filters: StreamFilters, policy: LoggingPolicy, range: RangeDuration): MetricExpr {
  const evidence = control.evidence;
  switch (evidence.kind) {
    case 'share': {
      const keys = evidence.groupBy ?? [];
      const scoped = countRequests(ctx, filters, evidence.scope, policy, range, keys);
      const matched = countRequests(ctx, filters, [...evidence.scope, ...evidence.match], policy, range, keys);
      const share = binary('/', zeroFilled(matched, scoped), scoped);
      return evidence.reduce ? aggregate(evidence.reduce, share) : share;
    }
    case 'count': {
      // Requests, not lines: both proxies of a meshed hop log it, so per callee the larger side
      // counts (control-evidence-count.ts evidenceRequests); lines that say neither side count as they are.
      const keys = evidenceCountKeys(ctx.labels.cluster);
      const callee = keys.filter((k) => k !== 'direction');
      const scope = evidence.scope ?? [];
      const match = [...scope, ...evidence.match];
      const sided = countRequests(ctx, filters, [...match, { field: 'direction', isOneOf: SIDES }], policy, range, keys);
      const undirected = countRequests(ctx, filters, [...match, ...SIDES.map((side) => ({ field: 'direction' as const, isNot: side }))], policy, range, []);
      const requests = binary('+', binary('or', sum(aggregate('max', sided, by(...callee))), vector(0)), binary('or', undirected, vector(0)));
      // No traffic (in scope) at all is no evidence, not zero.
      return binary('and', requests, countRequests(ctx, filters, scope, policy, range, []));
    }
    case 'coverage': {
      const listed = policy[evidence.list];
      const windowMs = policy.thresholds[evidence.windowMinutes] * 60_000;
      const scope: FieldFilter[] = [{ field: evidence.field, inPolicyList: evidence.list }, ...(evidence.reportedBy ?? [])];
      const present = countRequests(ctx, filters, scope, policy, windowMs, [evidence.field]);
      // Silence is the failure this control looks for, so "nothing logged" reads 0, not no data.
      return binary('/', binary('or', aggregate('count', present), vector(0)), num(new Set(listed).size));
    }
    case 'retention':
    case 'anomalies':
      throw new LogqlError(`${control.id} is judged from ${evidence.kind === 'retention' ? "Loki's index and limits" : "each service's own baseline"}: it has no single LogQL measure`);
    case 'new-edges': {
      const { current, baseline } = edgeCounts(evidence, ctx, filters, policy, range);
      // No line in the baseline: nothing can be called new, so no value rather than a count.
      return binary('and', binary('or', aggregate('count', binary('unless', current, baseline)), vector(0)), aggregate('count', baseline));
    }
    case 'continuity':
      // Run as a range query with the bucket as its step (evidence/continuity.ts): one count per
      // instance and whole bucket.
      return countRequests(ctx, filters, continuityScope(evidence), policy, continuityBucketMs(control, policy), continuityKeys(ctx));
  }
}

/** What an edge is for CC7.1: where, and caller and callee as the logs name them. */
export function edgeKeys(ctx: QueryContext): string[] {
  return [ctx.labels.cluster, 'src_namespace', 'src_workload', 'dst_namespace', 'dst_service'];
}

/** Requests per edge in the range, and in the baseline days before it (offset by the range). */
function edgeCounts(evidence: Extract<ControlDefinition['evidence'], { kind: 'new-edges' }>, ctx: QueryContext, filters: StreamFilters, policy: LoggingPolicy, range: RangeDuration) {
  const keys = edgeKeys(ctx);
  const current = countRequests(ctx, filters, [], policy, range, keys);
  const baseline = withOffset(countRequests(ctx, filters, [], policy, evidence.baselineDays * MS.d, keys), range);
  return { current, baseline };
}

/** The same expression over a window `offset` earlier. */
function withOffset(expr: MetricExpr, offset: RangeDuration): MetricExpr {
  switch (expr.kind) {
    case 'logRange':
    case 'unwrappedRange':
      return { ...expr, offset };
    case 'vectorAgg':
      return { ...expr, expr: withOffset(expr.expr, offset) };
    case 'binary':
      return { ...expr, left: withOffset(expr.left, offset), right: withOffset(expr.right, offset) };
    case 'labelReplace':
      return { ...expr, expr: withOffset(expr.expr, offset) };
    default:
      return expr;
  }
}

type ContinuityEvidence = Extract<ControlDefinition['evidence'], { kind: 'continuity' }>;

export function continuityScope(evidence: ContinuityEvidence): FieldFilter[] {
  return [{ field: evidence.field, inPolicyList: evidence.list }, ...(evidence.reportedBy ?? [])];
}

/** What one instance of a listed service is: where it runs, and its name. */
export function continuityKeys(ctx: QueryContext): [cluster: string, namespace: string, service: string] {
  return [ctx.labels.cluster, 'dst_namespace', 'dst_service'];
}

/** A continuity control's bucket, from its policy threshold in minutes. */
export function continuityBucketMs(control: ControlDefinition, policy: LoggingPolicy): number {
  if (control.evidence.kind !== 'continuity') {
    throw new Error(`${control.id} is not a continuity control`);
  }
  return policy.thresholds[control.evidence.bucketMinutes] * 60_000;
}

function missingScope(control: ControlDefinition, policy: LoggingPolicy): string | undefined {
  const evidence = control.evidence;
  if (evidence.kind === 'new-edges' || evidence.kind === 'anomalies') {
    return undefined;
  }
  if (evidence.kind === 'retention') {
    return policy.logClasses.length === 0 ? `policy.logClasses is empty, so ${control.id} has nothing in scope` : undefined;
  }
  const filters: FieldFilter[] =
    evidence.kind === 'coverage' || evidence.kind === 'continuity'
      ? [{ field: evidence.field, inPolicyList: evidence.list }]
      : evidence.kind === 'share'
        ? [...evidence.scope, ...evidence.match]
        : [...(evidence.scope ?? []), ...evidence.match];
  const empty = policyListsUsed(filters).find((list) => policyListValues(list, policy).length === 0);
  return empty ? `policy.${empty} is empty, so ${control.id} has nothing in scope` : undefined;
}

/**
 * Evidence queries for the given control ids (empty = the whole catalog), over `range`
 * (the audit window, or a Grafana variable for dashboards and alert rules).
 */
export function buildControlQueries(
  controlIds: readonly string[],
  filters: StreamFilters,
  range: RangeDuration,
  policy: LoggingPolicy,
  ctx: QueryContext
): ControlQuery[] {
  const controls =
    controlIds.length === 0
      ? controlsOf(policy)
      : controlIds.map((id) => {
          const control = getControl(id, policy);
          if (!control) {
            throw new UnknownControlError(id, policy);
          }
          return control;
        });
  return controls.map((control) => {
    const reason = missingScope(control, policy);
    if (reason) {
      return { controlId: control.id, expr: null, reason, newest: [] };
    }
    if (control.evidence.kind === 'retention' || control.evidence.kind === 'anomalies') {
      return { controlId: control.id, expr: null, judgedBy: control.evidence.kind, newest: [] };
    }
    if (control.evidence.kind === 'new-edges') {
      const evidence = control.evidence;
      const { current, baseline } = edgeCounts(evidence, ctx, filters, policy, range);
      const keys = edgeKeys(ctx);
      const baselineEdges = accessPipelines(ctx).map((pipeline) => ({
        selector: accessSelector(ctx, pipeline, filters),
        expr: renderLogql(withOffset(sum(countOverTime(accessLogQuery(ctx, pipeline, filters, [], undefined, keys), evidence.baselineDays * MS.d), by(...keys)), range)),
      }));
      return {
        controlId: control.id,
        expr: renderLogql(evidenceExpr(control, ctx, filters, policy, range)),
        edges: { baselineEdges, baselineMs: evidence.baselineDays * MS.d, list: renderLogql(binary('unless', current, baseline)), baseline: renderLogql(aggregate('count', baseline)) },
        newest: [],
      };
    }
    return {
      controlId: control.id,
      expr: renderLogql(evidenceExpr(control, ctx, filters, policy, range)),
      ...(control.evidence.kind === 'continuity' ? { stepMs: continuityBucketMs(control, policy) } : {}),
      newest: buildNewestEvidenceQueries(control, filters, policy, ctx),
    };
  });
}

/**
 * A control's measure compared with its threshold, for rule engines that fire on any returned
 * series (Loki's ruler): the measure when it breaks the pass condition, nothing otherwise.
 * Null when the policy leaves the control out of scope, for continuity controls (judged over the
 * whole audit window; their live alert is the coverage control's) and for retention controls
 * (judged from Loki's index and limits; the retention rules alert on a class that went silent).
 */
export function buildControlBreachExpr(control: ControlDefinition, range: RangeDuration, policy: LoggingPolicy, ctx: QueryContext): string | null {
  if (missingScope(control, policy) || ['continuity', 'retention', 'anomalies'].includes(control.evidence.kind)) {
    return null;
  }
  const { atLeast, threshold } = passThreshold(control, policy);
  return renderLogql(binary(atLeast ? '<' : '>', evidenceExpr(control, ctx, {}, policy, range), num(threshold)));
}

/** Any access log line in the range is absent: every control is then without evidence. */
export function buildNoAccessLogsExpr(range: RangeDuration, ctx: QueryContext): string {
  return renderLogql(absentOverTime(logQuery(selector(eq(ctx.labels.logType, ctx.accessLogType))), range));
}
