/**
 * A continuity control's value (controls/types.ts `continuity`): its range query run with the
 * bucket as the step, so that each point at t counts (t − bucket, t] and the points tile the
 * window; Loki 3.7.3 puts the points on multiples of the step (evidence/anomalies.ts), so the
 * buckets judged are the whole step-aligned ones inside (from, to]. Loki leaves out a point with
 * no line: a missing point is a silent bucket.
 */
import type { ControlDefinition } from '../controls/types';
import type { LokiClient } from '../loki/client';
import type { MatrixSeries } from '../loki/types';
import type { LoggingPolicy } from '../policy';
import { continuityKeys } from '../queries/controls';
import type { QueryContext } from '../queries/context';

export interface SilentBucket {
  cluster: string;
  namespace: string;
  service: string;
  /** The bucket (start, end] in epoch ms. */
  startMs: number;
  endMs: number;
}

export interface ContinuityResult {
  /** Share of (instance, bucket) pairs with a line; null without a whole bucket in the window. */
  measured: number | null;
  buckets: number;
  instances: number;
  silent: SilentBucket[];
}

/** The ends of the whole step-aligned buckets inside (from, to]. */
export function bucketEnds(fromMs: number, toMs: number, stepMs: number): number[] {
  if (!(stepMs >= 60_000)) {
    throw new Error(
      `A continuity bucket must be at least a minute, got ${stepMs} ms: check the policy threshold it is taken from.`
    );
  }
  const ends: number[] = [];
  for (let t = Math.ceil((fromMs + stepMs) / stepMs) * stepMs; t <= toMs; t += stepMs) {
    ends.push(t);
  }
  return ends;
}

/** The value and the silent buckets from the range query's series (exported for table tests). */
export function judgeContinuity(
  control: ControlDefinition,
  series: readonly MatrixSeries[],
  ends: readonly number[],
  stepMs: number,
  policy: LoggingPolicy,
  ctx: QueryContext
): ContinuityResult {
  if (control.evidence.kind !== 'continuity') {
    throw new Error(`${control.id} is not a continuity control`);
  }
  if (ends.length === 0) {
    return { measured: null, buckets: 0, instances: 0, silent: [] };
  }
  const [clusterKey, namespaceKey, serviceKey] = continuityKeys(ctx);
  const listed = new Set(policy[control.evidence.list]);
  const instances = new Map<string, { where: Omit<SilentBucket, 'startMs' | 'endMs'>; logged: Set<number> }>();
  for (const s of series) {
    const where = {
      cluster: s.metric[clusterKey] ?? '',
      namespace: s.metric[namespaceKey] ?? '',
      service: s.metric[serviceKey] ?? '',
    };
    if (!listed.has(where.service)) {
      continue;
    }
    const key = JSON.stringify(where);
    const entry = instances.get(key) ?? { where, logged: new Set<number>() };
    s.values.filter(([, v]) => Number.isFinite(v) && v > 0).forEach(([t]) => entry.logged.add(t));
    instances.set(key, entry);
  }
  for (const service of listed) {
    if (![...instances.values()].some((i) => i.where.service === service)) {
      instances.set(JSON.stringify({ service }), { where: { cluster: '', namespace: '', service }, logged: new Set() });
    }
  }
  const silent: SilentBucket[] = [];
  let covered = 0;
  for (const { where, logged } of instances.values()) {
    for (const end of ends) {
      if (logged.has(end)) {
        covered += 1;
      } else {
        silent.push({ ...where, startMs: end - stepMs, endMs: end });
      }
    }
  }
  silent.sort(
    (a, b) => a.startMs - b.startMs || a.service.localeCompare(b.service) || a.cluster.localeCompare(b.cluster)
  );
  return {
    measured: covered / (instances.size * ends.length),
    buckets: ends.length,
    instances: instances.size,
    silent,
  };
}

export async function measureContinuity(params: {
  client: LokiClient;
  control: ControlDefinition;
  expr: string;
  stepMs: number;
  fromMs: number;
  toMs: number;
  policy: LoggingPolicy;
  ctx: QueryContext;
  signal?: AbortSignal;
}): Promise<ContinuityResult> {
  const ends = bucketEnds(params.fromMs, params.toMs, params.stepMs);
  if (ends.length === 0) {
    return judgeContinuity(params.control, [], ends, params.stepMs, params.policy, params.ctx);
  }
  const response = await params.client.queryRange({
    query: params.expr,
    startMs: ends[0],
    endMs: ends[ends.length - 1],
    stepMs: params.stepMs,
    noCache: true,
    signal: params.signal,
  });
  if (response.resultType !== 'matrix' && response.resultType !== 'empty') {
    throw new Error(`The ${params.control.id} query returned ${response.resultType} instead of a matrix.`);
  }
  const series = response.resultType === 'matrix' ? (response.result as MatrixSeries[]) : [];
  return judgeContinuity(params.control, series, ends, params.stepMs, params.policy, params.ctx);
}

const clock = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The silent buckets in words, for the control's detail: where, and when. */
export function describeSilence(result: ContinuityResult, max = 6): string {
  if (result.measured === null) {
    return 'The range holds no whole bucket to judge.';
  }
  if (result.silent.length === 0) {
    return `Every one of ${result.instances} instance(s) logged in each of the ${result.buckets} buckets.`;
  }
  const shown = result.silent
    .slice(0, max)
    .map(
      (b) =>
        `${b.service}${b.cluster || b.namespace ? ` (${[b.cluster, b.namespace].filter(Boolean).join('/')})` : ' (logged nowhere)'} ${clock(b.startMs)}–${clock(b.endMs).slice(11)} UTC`
    );
  const more = result.silent.length > max ? ` and ${result.silent.length - max} more` : '';
  return `${result.silent.length} silent bucket(s) of ${result.instances * result.buckets}: ${shown.join('; ')}${more}.`;
}
