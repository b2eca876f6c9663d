/**
 * A control's full evidence population for an audit window: every line its evidence log queries
 * (the plan of a `logs` target with `controlId`, as the drill-down sends it) match, read from Loki
 * page by page, each query's `limit` lines a page (never a sample), reduced to one line per request by the
 * rule the evidence count uses (queries/control-evidence-count.ts), so that the number of rows
 * exported is the control's evidence count. Auditors sample from this population and re-run the
 * queries; both need the whole of it.
 */
import type { LokiClient } from '../loki/client';
import { compareNs } from '../loki/mergeResults';
import type { LogStream, QueryStatsSummary } from '../loki/types';
import { MAX_LOG_LIMIT, type LogsQuery } from '../queries/logs';
import { planQuery, type PlanSettings } from '../plan';
import type { StreamFilters } from '../query';
import { evidenceCountKeys } from '../queries/control-evidence-count';

export interface EvidenceLine {
  timeNs: string;
  /** Stream labels, structured metadata and parsed labels as Loki returned them for this line. */
  labels: Record<string, string>;
  line: string;
  /** The pipeline (profile) query that returned it; undefined for normalised JSON. */
  profile?: string;
}

export interface EvidencePopulation {
  /** One line per request, oldest first. */
  rows: EvidenceLine[];
  /** Distinct lines read (both sides of a request included). */
  linesRead: number;
  /** Requests to Loki and the totals of their `stats.summary`. */
  lokiRequests: number;
  stats: Required<Pick<QueryStatsSummary, 'totalBytesProcessed' | 'totalLinesProcessed' | 'execTime'>>;
}

export class EvidencePaginationError extends Error {}

interface ReadParams {
  client: LokiClient;
  queries: readonly LogsQuery[];
  fromMs: number;
  toMs: number;
  clusterLabel: string;
  signal?: AbortSignal;
  onProgress?: (linesRead: number, atMs: number) => void;
}

const lineId = (labels: Record<string, string>, timeNs: string, line: string) =>
  `${JSON.stringify(Object.entries(labels).sort())}\u0000${timeNs}\u0000${line}`;

const nsToMs = (timeNs: string) => Number(timeNs.slice(0, -6) || '0');

function entriesOf(streams: readonly LogStream[], profile: string | undefined): EvidenceLine[] {
  return streams.flatMap((stream) =>
    stream.entries.map((entry) => ({
      timeNs: entry.timeNs,
      labels: { ...stream.labels, ...entry.structuredMetadata, ...entry.parsed },
      line: entry.line,
      ...(profile ? { profile } : {}),
    }))
  );
}

const byTime = (a: EvidenceLine, b: EvidenceLine) => compareNs(a.timeNs, b.timeNs);

/**
 * Reads every line of the queries in (fromMs, toMs], the window `count_over_time(...[to - from])`
 * at `toMs` counts (Loki's range selection is left-open), oldest first. A page ends at Loki's limit;
 * the next starts at the millisecond of its last line (Loki's `start` is in nanoseconds but the
 * client speaks milliseconds), and lines already read are recognised by stream, time and text,
 * so lines sharing the boundary millisecond are neither lost nor doubled. Two profiles of one mesh
 * can return the same line: it is kept once.
 */
export async function readEvidencePopulation(params: ReadParams): Promise<EvidencePopulation> {
  const seen = new Set<string>();
  const lines: EvidenceLine[] = [];
  const stats = { totalBytesProcessed: 0, totalLinesProcessed: 0, execTime: 0 };
  let lokiRequests = 0;
  const fromNs = BigInt(Math.round(params.fromMs)) * BigInt(1_000_000);
  const toNs = BigInt(Math.round(params.toMs)) * BigInt(1_000_000);
  const inWindow = (timeNs: string) => {
    const ns = BigInt(timeNs);
    return ns > fromNs && ns <= toNs;
  };
  for (const query of params.queries) {
    const pageLines = query.limit;
    let startMs = params.fromMs;
    for (;;) {
      const response = await params.client.queryRange({
        query: query.expr,
        startMs,
        // query_range's end is exclusive: one millisecond more reaches lines at toMs itself.
        endMs: params.toMs + 1,
        limit: pageLines,
        direction: 'forward',
        categorizeLabels: true,
        noCache: true,
        signal: params.signal,
      });
      lokiRequests += 1;
      stats.totalBytesProcessed += response.stats?.totalBytesProcessed ?? 0;
      stats.totalLinesProcessed += response.stats?.totalLinesProcessed ?? 0;
      stats.execTime += response.stats?.execTime ?? 0;
      if (response.resultType !== 'streams' && response.resultType !== 'empty') {
        throw new Error(`The evidence query "${query.name}" returned ${response.resultType} instead of log lines.`);
      }
      const page = response.resultType === 'streams' ? entriesOf(response.result, query.profile).sort(byTime) : [];
      for (const entry of page.filter((e) => inWindow(e.timeNs))) {
        const id = lineId(entry.labels, entry.timeNs, entry.line);
        if (!seen.has(id)) {
          seen.add(id);
          lines.push(entry);
        }
      }
      params.onProgress?.(lines.length, page.length > 0 ? nsToMs(page[page.length - 1].timeNs) : params.toMs);
      if (page.length < pageLines) {
        break;
      }
      const nextMs = nsToMs(page[page.length - 1].timeNs);
      if (nextMs <= startMs) {
        throw new EvidencePaginationError(
          `More than ${pageLines} evidence lines of "${query.name}" fall in one millisecond (${new Date(startMs).toISOString()}): ` +
            "they cannot be paged through with Loki's limit. Raise max_entries_limit_per_query or narrow the filters."
        );
      }
      startMs = nextMs;
    }
  }
  lines.sort(byTime);
  return { rows: oneLinePerRequest(lines, params.clusterLabel), linesRead: lines.length, lokiRequests, stats };
}

/**
 * The evidence count's rule, applied to lines: per callee, the side (inbound or outbound) that
 * logged more of the lines (inbound on a tie: the callee's proxy knows the TLS state); lines that
 * say neither side all count. The result has exactly evidenceRequests(...) rows.
 */
export function oneLinePerRequest(lines: readonly EvidenceLine[], clusterLabel: string): EvidenceLine[] {
  const [service, namespace, cluster] = evidenceCountKeys(clusterLabel);
  const calleeOf = (l: EvidenceLine) => JSON.stringify([l.labels[service] ?? '', l.labels[namespace] ?? '', l.labels[cluster] ?? '']);
  const sides = new Map<string, { inbound: number; outbound: number }>();
  for (const l of lines) {
    const direction = l.labels.direction;
    if (direction === 'inbound' || direction === 'outbound') {
      const key = calleeOf(l);
      const count = sides.get(key) ?? { inbound: 0, outbound: 0 };
      count[direction] += 1;
      sides.set(key, count);
    }
  }
  return lines.filter((l) => {
    const direction = l.labels.direction;
    if (direction !== 'inbound' && direction !== 'outbound') {
      return true;
    }
    const count = sides.get(calleeOf(l))!;
    return direction === (count.inbound >= count.outbound ? 'inbound' : 'outbound');
  });
}

export interface ControlEvidenceExport extends EvidencePopulation {
  controlId: string;
  /** The LogQL that reads the population, one per pipeline: what an auditor re-runs. */
  queries: Array<{ name: string; profile?: string; expr: string }>;
  fromMs: number;
  toMs: number;
}

/** A control's evidence population, from the drill-down's own plan (`logs` with `controlId`). */
export async function exportControlEvidence(params: {
  client: LokiClient;
  settings: PlanSettings;
  controlId: string;
  filters?: StreamFilters;
  fromMs: number;
  toMs: number;
  /** Lines per page, at most Loki's max_entries_limit_per_query (5000 by default). */
  pageLines?: number;
  signal?: AbortSignal;
  onProgress?: (linesRead: number, atMs: number) => void;
}): Promise<ControlEvidenceExport> {
  const plan = planQuery(
    { queryType: 'logs', filters: params.filters ?? {}, logs: { controlId: params.controlId, limit: params.pageLines ?? MAX_LOG_LIMIT } },
    params.settings,
    params.toMs - params.fromMs
  );
  if (plan.type !== 'logs') {
    throw new Error('expected a logs plan');
  }
  const population = await readEvidencePopulation({ ...params, queries: plan.queries, clusterLabel: params.settings.labelNames.cluster });
  return {
    controlId: params.controlId,
    queries: plan.queries.map((q) => ({ name: q.name, ...(q.profile ? { profile: q.profile } : {}), expr: q.expr })),
    fromMs: params.fromMs,
    toMs: params.toMs,
    ...population,
  };
}
