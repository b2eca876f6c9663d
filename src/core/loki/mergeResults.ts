/**
 * Merging the answers of a split query_range back into one answer: matrix series joined by their
 * label set with boundary points deduplicated, log streams joined by their label set and cut to
 * the line limit in the requested direction, warnings de-duplicated, summary totals added up.
 */
import { LokiMalformedResponseError } from './errors';
import type { LogEntry, LogStream, MatrixSeries, QueryResponse, QueryStatsSummary } from './types';

export type Direction = 'forward' | 'backward';

/** A label set's identity, independent of key order. */
export function labelsKey(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  let key = '';
  for (const k of keys) {
    key += `${JSON.stringify(k)}=${JSON.stringify(labels[k])},`;
  }
  return key;
}

/** Series by label set; points sorted by time, a time seen twice kept once (the first answer's). */
export function mergeMatrix(parts: MatrixSeries[][]): MatrixSeries[] {
  const byKey = new Map<string, { metric: Record<string, string>; points: Map<number, number> }>();
  for (const part of parts) {
    for (const series of part) {
      const key = labelsKey(series.metric);
      let merged = byKey.get(key);
      if (!merged) {
        merged = { metric: series.metric, points: new Map() };
        byKey.set(key, merged);
      }
      for (const [t, v] of series.values) {
        if (!merged.points.has(t)) {
          merged.points.set(t, v);
        }
      }
    }
  }
  return [...byKey.values()].map(({ metric, points }) => ({
    metric,
    values: [...points.entries()].sort((a, b) => a[0] - b[0]),
  }));
}

/** Orders ns timestamp strings (non-negative integers without leading zeros) without losing digits. */
export function compareNs(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Streams by label set, entries in `direction` order, at most `limit` entries in all: the ones
 * nearest the end of the range for backward, nearest the start for forward, as Loki would pick.
 */
export function mergeStreams(parts: LogStream[][], direction: Direction, limit: number): LogStream[] {
  const sign = direction === 'forward' ? 1 : -1;
  const all: Array<{ key: string; labels: Record<string, string>; entry: LogEntry }> = [];
  for (const part of parts) {
    for (const stream of part) {
      const key = labelsKey(stream.labels);
      for (const entry of stream.entries) {
        all.push({ key, labels: stream.labels, entry });
      }
    }
  }
  all.sort((a, b) => sign * compareNs(a.entry.timeNs, b.entry.timeNs));
  const byKey = new Map<string, LogStream>();
  for (const { key, labels, entry } of all.slice(0, limit)) {
    let stream = byKey.get(key);
    if (!stream) {
      stream = { labels, entries: [] };
      byKey.set(key, stream);
    }
    stream.entries.push(entry);
  }
  return [...byKey.values()];
}

const SUMMED: Array<keyof QueryStatsSummary> = [
  'totalBytesProcessed',
  'totalLinesProcessed',
  'execTime',
  'queueTime',
  'subqueries',
  'totalEntriesReturned',
  'splits',
  'shards',
  'totalPostFilterLines',
  'totalStructuredMetadataBytesProcessed',
];

/** Totals add up across sub-queries; per-second rates do not, so they are left out. */
function sumStats(parts: QueryResponse[]): QueryStatsSummary | undefined {
  const withStats = parts.filter((p) => p.stats);
  if (withStats.length === 0) {
    return undefined;
  }
  const out: QueryStatsSummary = {};
  for (const field of SUMMED) {
    for (const p of withStats) {
      const v = p.stats![field];
      if (v !== undefined) {
        out[field] = (out[field] ?? 0) + v;
      }
    }
  }
  return out;
}

/** One answer out of the answers to consecutive sub-ranges of one query. */
export function mergeQueryResponses(parts: QueryResponse[], direction: Direction, limit: number): QueryResponse {
  if (parts.length === 1) {
    return parts[0];
  }
  const warnings = [...new Set(parts.flatMap((p) => p.warnings))];
  const stats = sumStats(parts);
  const flags = parts.find((p) => p.encodingFlags)?.encodingFlags;
  const withStats = { ...(stats ? { stats } : {}), ...(flags ? { encodingFlags: flags } : {}) };
  const typed = parts.filter((p) => p.resultType !== 'empty');
  const types = new Set(typed.map((p) => p.resultType));
  if (types.size === 0) {
    return { resultType: 'empty', result: [], warnings, ...withStats };
  }
  if (types.size > 1) {
    throw new LokiMalformedResponseError(
      {
        status: 200,
        lokiMessage: '',
        body: '',
        message: `Loki answered one split query with different result types (${[...types].join(', ')}); they cannot be merged.`,
      },
      'data.resultType'
    );
  }
  const first = typed[0];
  switch (first.resultType) {
    case 'matrix':
      return {
        resultType: 'matrix',
        result: mergeMatrix(typed.map((p) => p.result as MatrixSeries[])),
        warnings,
        ...withStats,
      };
    case 'streams':
      return {
        resultType: 'streams',
        result: mergeStreams(
          typed.map((p) => p.result as LogStream[]),
          direction,
          limit
        ),
        warnings,
        ...withStats,
      };
    default:
      // A query_range answers matrix or streams; vector/scalar from several sub-ranges has no single meaning.
      throw new LokiMalformedResponseError(
        {
          status: 200,
          lokiMessage: '',
          body: '',
          message: `Loki answered a split range query with "${first.resultType}", which cannot be merged across sub-ranges.`,
        },
        'data.resultType'
      );
  }
}
