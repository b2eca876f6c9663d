/**
 * Anomalies without an external service (CC7.2): each callee against its own baseline over the
 * audit window, median and median absolute deviation of its buckets, so one burst does not move
 * the baseline it is measured against. Two findings:
 * - a 5xx share well above the service's usual share (and at least a handful of failures);
 * - a service that usually logs and whose own proxy wrote nothing for a whole bucket.
 * Buckets with too few requests to make a share say nothing, rather than a noisy guess.
 */
import type { LokiClient } from '../loki/client';
import type { MatrixSeries } from '../loki/types';
import { contextFor, type PlanSettings } from '../plan';
import type { StreamFilters } from '../query';
import { ANOMALY_STEP_MS, anomalyKeys, buildAnomalyQueries } from '../queries/anomalies';
import type { QueryContext } from '../queries/context';
import type { EvidenceTable } from './report';

export interface AnomalyOptions {
  stepMs: number;
  /** A bucket's share is judged only from this many requests. */
  minRequests: number;
  /** A burst needs at least this many failures in the bucket. */
  minErrors: number;
  /** How many robust standard deviations (1.4826 × MAD) above the median is an outlier. */
  deviations: number;
  /** The smallest rise of the share above the median that counts, whatever the spread. */
  minShareRise: number;
  /** A silent bucket counts only for a service whose median bucket has this many requests. */
  minMedianForSilence: number;
}

export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = { stepMs: ANOMALY_STEP_MS, minRequests: 20, minErrors: 5, deviations: 4, minShareRise: 0.02, minMedianForSilence: 10 };

export interface Anomaly {
  /** `edge-error-share`: the 5xx share of one caller's requests against that edge's own baseline. */
  kind: 'error-share' | 'silence' | 'edge-error-share';
  cluster: string;
  namespace: string;
  service: string;
  /** For edge findings: the caller as the callee's proxy names it ('' when it cannot). */
  caller?: string;
  /** The bucket (start, end] in epoch ms. */
  startMs: number;
  endMs: number;
  reason: string;
}

export class WindowTooShortError extends Error {}

export interface AnomalyResult {
  anomalies: Anomaly[];
  /** The LogQL behind the buckets, for re-running. */
  queries: string[];
  buckets: number;
  stepMs: number;
  /** Callees judged: none means no baseline at all, not a quiet window. */
  services: number;
}

export interface Bucket {
  endMs: number;
  requests: number;
  errors: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/**
 * One callee's findings from its buckets (every bucket of the window, zeros included). An edge is
 * judged for its error share only: one caller going quiet is no logging gap.
 */
export function judgeService(where: Omit<Anomaly, 'kind' | 'startMs' | 'endMs' | 'reason'>, buckets: readonly Bucket[], o: AnomalyOptions, edge = false): Anomaly[] {
  const found: Anomaly[] = [];
  const judged = buckets.filter((b) => b.requests >= o.minRequests);
  const shares = judged.map((b) => b.errors / b.requests);
  const m = median(shares);
  const spread = 1.4826 * median(shares.map((s) => Math.abs(s - m)));
  for (const b of judged) {
    const share = b.errors / b.requests;
    if (b.errors >= o.minErrors && share > m + Math.max(o.deviations * spread, o.minShareRise)) {
      found.push({
        kind: edge ? 'edge-error-share' : 'error-share',
        ...where,
        startMs: b.endMs - o.stepMs,
        endMs: b.endMs,
        reason: `${edge ? `from ${where.caller || 'an unnamed caller'}: ` : ''}5xx share ${pct(share)} (${b.errors} of ${b.requests}) in ${clock(b.endMs - o.stepMs)}–${clock(b.endMs)} vs baseline ${pct(m)} ± ${pct(spread)}`,
      });
    }
  }
  const usual = median(buckets.map((b) => b.requests));
  if (!edge && usual >= o.minMedianForSilence) {
    for (const b of buckets.filter((x) => x.requests === 0)) {
      found.push({
        kind: 'silence',
        ...where,
        startMs: b.endMs - o.stepMs,
        endMs: b.endMs,
        reason: `no request logged by its own proxy in ${clock(b.endMs - o.stepMs)}–${clock(b.endMs)} vs a median of ${usual} per ${o.stepMs / 60_000} min`,
      });
    }
  }
  return found;
}

/** The findings as the baseline-anomaly control's evidence table, one row each. */
export function anomalyTable(result: AnomalyResult): EvidenceTable {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    columns: ['kind', 'cluster', 'namespace', 'service', 'caller', 'from', 'to', 'reason'],
    rows: result.anomalies.map((a) => ({ kind: a.kind, cluster: a.cluster, namespace: a.namespace, service: a.service, caller: a.caller ?? null, from: iso(a.startMs), to: iso(a.endMs), reason: a.reason })),
  };
}

/** The whole step-aligned buckets inside (from, to] that anomalies are judged in; a baseline needs three. */
export function anomalyBucketEnds(fromMs: number, toMs: number, stepMs: number): number[] {
  // Loki 3.7.3 puts a range query's points on multiples of the step (start 11:59 with a 10m step
  // answered 12:10, 12:20, ...), so the buckets are the whole step-aligned ones inside (from, to].
  const ends: number[] = [];
  for (let t = Math.ceil((fromMs + stepMs) / stepMs) * stepMs; t <= toMs; t += stepMs) {
    ends.push(t);
  }
  if (ends.length < 3) {
    throw new WindowTooShortError(`The window holds ${ends.length} whole ${stepMs / 60_000}-minute buckets; a baseline needs at least 3.`);
  }
  return ends;
}

/** Per edge into a callee, its requests and 5xx per bucket, as the anomaly queries group them (queries/anomalies.ts). */
export type AnomalySeries = Record<'requests' | 'errors', MatrixSeries[]>;

/** Every callee and edge judged against its own baseline from its buckets (every bucket of `ends`, zeros included). */
export function judgeAnomalies(series: AnomalySeries, ends: readonly number[], o: AnomalyOptions, ctx: QueryContext, queries: string[]): AnomalyResult {
  const [cluster, namespace, service, caller] = anomalyKeys(ctx);
  type Where = { cluster: string; namespace: string; service: string; caller?: string };
  const edges = new Map<string, { where: Where; byEnd: Map<number, Bucket> }>();
  const services = new Map<string, { where: Where; byEnd: Map<number, Bucket> }>();
  const add = (into: typeof edges, where: Where, t: number, measure: 'requests' | 'errors', v: number) => {
    const key = JSON.stringify(where);
    const entry = into.get(key) ?? { where, byEnd: new Map(ends.map((e) => [e, { endMs: e, requests: 0, errors: 0 }])) };
    const bucket = entry.byEnd.get(t);
    if (bucket) {
      bucket[measure] += v;
    }
    into.set(key, entry);
  };
  for (const measure of ['requests', 'errors'] as const) {
    for (const s of series[measure]) {
      const callee = { cluster: s.metric[cluster] ?? '', namespace: s.metric[namespace] ?? '', service: s.metric[service] ?? '' };
      for (const [t, v] of s.values.filter(([, value]) => Number.isFinite(value))) {
        add(edges, { ...callee, caller: s.metric[caller] ?? '' }, t, measure, v);
        add(services, callee, t, measure, v);
      }
    }
  }
  const named = <T extends { where: Where }>(m: Map<string, T>) => [...m.values()].filter((s) => s.where.service !== '');
  const anomalies = [
    ...named(services).flatMap((s) => judgeService(s.where, [...s.byEnd.values()], o)),
    ...named(edges).flatMap((s) => judgeService(s.where, [...s.byEnd.values()], o, true)),
  ].sort((a, b) => a.startMs - b.startMs || a.service.localeCompare(b.service) || (a.caller ?? '').localeCompare(b.caller ?? ''));
  return { anomalies, queries, buckets: ends.length, stepMs: o.stepMs, services: named(services).length };
}

/**
 * Every callee's buckets over (from, to], from one range query per measure and pipeline, then
 * judged against its own baseline. Only whole buckets inside the window are judged.
 */
export async function findAnomalies(params: {
  client: LokiClient;
  settings: PlanSettings;
  fromMs: number;
  toMs: number;
  options?: Partial<AnomalyOptions>;
  /** The stream and service filters of the target (a controls panel's variables); none for a report. */
  filters?: StreamFilters;
  signal?: AbortSignal;
}): Promise<AnomalyResult> {
  const o = { ...DEFAULT_ANOMALY_OPTIONS, ...params.options };
  const ctx = contextFor(params.settings);
  const queries = buildAnomalyQueries(params.filters ?? {}, o.stepMs, params.settings.policy, ctx);
  const ends = anomalyBucketEnds(params.fromMs, params.toMs, o.stepMs);
  const series: Record<'requests' | 'errors', MatrixSeries[]> = { requests: [], errors: [] };
  for (const q of queries) {
    const response = await params.client.queryRange({ query: q.expr, startMs: ends[0], endMs: ends[ends.length - 1], stepMs: o.stepMs, noCache: true, signal: params.signal });
    if (response.resultType !== 'matrix' && response.resultType !== 'empty') {
      throw new Error(`The anomaly query returned ${response.resultType} instead of a matrix.`);
    }
    series[q.measure].push(...(response.resultType === 'matrix' ? (response.result as MatrixSeries[]) : []));
  }
  return judgeAnomalies(series, ends, o, ctx, queries.map((q) => q.expr));
}
