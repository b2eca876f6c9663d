/**
 * `LokiClient`: one method per Loki read endpoint, over a `LokiTransport`. It builds parameters
 * the way Loki reads them (ns timestamps, single-unit steps, never limit=0), turns non-2xx answers
 * into typed errors, retries a full query queue with backoff, and splits a query_range longer than
 * max_query_length into sub-ranges whose answers it merges. When Loki reports a lower
 * max_query_length than configured, the client adopts Loki's figure and splits again.
 */
import { classifyLokiError } from './classifyError';
import { LokiError, LokiQueryTooLongError } from './errors';
import { Direction, mergeQueryResponses } from './mergeResults';
import {
  parseDetectedFieldsResponse,
  parseFormatQueryResponse,
  parseIndexStatsResponse,
  parseLabelsResponse,
  parseSeriesResponse,
} from './parse/parseMetadata';
import { parseQueryResponse } from './parse/parseQueryResponse';
import { VolumeResponse, parseVolumeResponse } from './parse/parseVolume';
import { parseTenantLimitsResponse, type TenantLimits } from './parse/parseLimits';
import { volumeWindows, type VolumeRangeSplitResult } from './volumeWindows';
import { DEFAULT_MAX_QUERY_LENGTH_MS, MAX_POINTS_PER_SERIES, TimeRange, splitRange } from './rangeSplit';
import { RetryOptions, abortedError, withRetry } from './retry';
import { checkRange, defaultStepMs, invalidRequest, limitParam, stepParam, timeParam } from './timeParams';
import type { DetectedFields, IndexStats, LabelSet, LokiRawResponse, LokiTransport, QueryResponse } from './types';

export type { VolumeRangeSplitResult };

export const API = '/loki/api/v1';
export const ENCODING_FLAGS_HEADER = 'X-Loki-Response-Encoding-Flags';
const NO_CACHE = { 'Cache-Control': 'no-cache' };
/** Loki's default `limit` for log queries when none is sent. */
export const DEFAULT_LINE_LIMIT = 100;

export interface LokiClientOptions {
  /** The tenant's max_query_length; longer query_range calls are split (default 721h). 0 = never split. */
  maxQueryLengthMs?: number;
  /** Points per series per request (default 11,000, Loki's hard cap). */
  maxPointsPerQuery?: number;
  /** Adopt the limit from a query-too-long answer and split again (default true). */
  adaptToQueryLengthLimit?: boolean;
  retry?: RetryOptions;
}

interface Signalled {
  signal?: AbortSignal;
}

/**
 * Evidence must be exact: `Cache-Control: no-cache` makes Loki's query frontend compute the answer
 * anew instead of serving results-cache pieces that may predate lines still arriving (a backfill, a
 * shipper catching up); research/real-path.md.
 */
interface Uncached {
  noCache?: boolean;
}

export interface RangeParams extends Signalled {
  startMs: number;
  endMs: number;
}

export interface QueryRangeParams extends RangeParams, Uncached {
  query: string;
  /** Defaults to Loki's own default for the whole range, sent explicitly so split parts share one grid. */
  stepMs?: number;
  /** Log queries only; Loki's default is 100. */
  limit?: number;
  direction?: Direction;
  /** Ask for index labels, structured metadata and parsed labels separately (Loki >= 3.0). */
  categorizeLabels?: boolean;
}

export interface InstantQueryParams extends Signalled, Uncached {
  query: string;
  timeMs: number;
  limit?: number;
  direction?: Direction;
}

export interface LabelsParams extends RangeParams {
  /** A stream selector that scopes the answer. */
  query?: string;
}

export interface SeriesParams extends RangeParams {
  /** Stream selectors (`match[]`); at least one. */
  match: string[];
}

export interface SelectorRangeParams extends RangeParams {
  /** A stream selector (matchers only). */
  query: string;
}

export interface VolumeParams extends SelectorRangeParams, Uncached {
  limit?: number;
  /** Aggregate into these labels. */
  targetLabels?: string[];
  aggregateBy?: 'series' | 'labels';
}

export interface VolumeRangeParams extends VolumeParams {
  stepMs?: number;
}

export interface VolumeRangeSplitParams extends VolumeRangeParams {
  /** The tenant's max_query_length as Loki published it (drilldownLimits); else the client's own. 0 = no limit. */
  maxQueryLengthMs?: number;
}

export interface DetectedFieldsParams extends SelectorRangeParams {
  /** Lines sampled per shard (Loki's default 100). */
  lineLimit?: number;
  /** Fields returned (Loki's default 1000). */
  limit?: number;
}

type Params = Record<string, string | string[]>;

/**
 * The longest query_range that fits a max_query_length. Loki 3.7.3 measured a log query_range as
 * end - start + 30 s (3,570 s passed a 1h limit, 3,571 s was refused as "1h0m1s"), so windows
 * stay a minute short of the limit.
 */
export function queryRangeCap(limitMs: number): number {
  return limitMs > 120_000 ? limitMs - 60_000 : Math.floor(limitMs / 2);
}

export class LokiClient {
  private maxQueryLengthMs: number;
  private readonly maxPoints: number;
  private readonly adapt: boolean;
  private readonly retry: RetryOptions;

  constructor(
    private readonly transport: LokiTransport,
    options: LokiClientOptions = {}
  ) {
    this.maxQueryLengthMs = options.maxQueryLengthMs ?? DEFAULT_MAX_QUERY_LENGTH_MS;
    this.maxPoints = options.maxPointsPerQuery ?? MAX_POINTS_PER_SERIES;
    this.adapt = options.adaptToQueryLengthLimit ?? true;
    this.retry = options.retry ?? {};
  }

  /** The max_query_length the client splits by now (lowered when Loki reported a smaller one). */
  get effectiveMaxQueryLengthMs(): number {
    return this.maxQueryLengthMs;
  }

  async queryRange(params: QueryRangeParams): Promise<QueryResponse> {
    checkRange(params.startMs, params.endMs);
    if (typeof params.query !== 'string' || params.query.trim() === '') {
      throw invalidRequest('The LogQL query is empty.');
    }
    const stepMs = params.stepMs ?? defaultStepMs(params.startMs, params.endMs);
    stepParam(stepMs);
    if (params.limit !== undefined) {
      limitParam(params.limit);
    }
    // What this request split by: requests in flight together all fail on the old value, and each
    // must retry with the lowered one, not only the first to learn it.
    const usedMs = this.maxQueryLengthMs;
    try {
      return await this.queryRangeSplit(params, stepMs);
    } catch (error) {
      const limitMs = error instanceof LokiQueryTooLongError ? error.limitMs : undefined;
      const capMs = limitMs === undefined ? 0 : queryRangeCap(limitMs);
      const tooLong = capMs > 0 && params.endMs - params.startMs > capMs;
      if (!this.adapt || !tooLong || (usedMs > 0 && capMs >= usedMs)) {
        throw error;
      }
      this.maxQueryLengthMs = this.maxQueryLengthMs > 0 ? Math.min(this.maxQueryLengthMs, capMs) : capMs;
      return this.queryRangeSplit(params, stepMs);
    }
  }

  private async queryRangeSplit(params: QueryRangeParams, stepMs: number): Promise<QueryResponse> {
    const direction = params.direction ?? 'backward';
    const limit = params.limit ?? DEFAULT_LINE_LIMIT;
    const ranges = splitRange(params, stepMs, this.maxQueryLengthMs, this.maxPoints);
    // Newest first for backward: a log query can stop once it has `limit` lines.
    const ordered = direction === 'backward' ? [...ranges].reverse() : ranges;
    const parts: QueryResponse[] = [];
    let lines = 0;
    for (const range of ordered) {
      const remaining = limit - lines;
      const answer = await this.queryRangeOnce(params, range, stepMs, ranges.length > 1 ? remaining : params.limit);
      parts.push(answer);
      if (answer.resultType === 'streams') {
        lines += answer.result.reduce((n, s) => n + s.entries.length, 0);
        if (lines >= limit) {
          break;
        }
      }
    }
    return mergeQueryResponses(parts, direction, limit);
  }

  private async queryRangeOnce(
    params: QueryRangeParams,
    range: TimeRange,
    stepMs: number,
    limit: number | undefined
  ): Promise<QueryResponse> {
    const query: Params = {
      query: params.query,
      start: timeParam(range.startMs, 'startMs'),
      end: timeParam(range.endMs, 'endMs'),
      step: stepParam(stepMs),
    };
    if (limit !== undefined) {
      query.limit = limitParam(limit);
    }
    if (params.direction) {
      query.direction = params.direction;
    }
    const headers = {
      ...(params.categorizeLabels ? { [ENCODING_FLAGS_HEADER]: 'categorize-labels' } : {}),
      ...(params.noCache ? NO_CACHE : {}),
    };
    const raw = await this.send('/query_range', query, params.signal, Object.keys(headers).length > 0 ? headers : undefined);
    return parseQueryResponse(raw.body, raw.status);
  }

  async instantQuery(params: InstantQueryParams): Promise<QueryResponse> {
    if (typeof params.query !== 'string' || params.query.trim() === '') {
      throw invalidRequest('The LogQL query is empty.');
    }
    const query: Params = { query: params.query, time: timeParam(params.timeMs, 'timeMs') };
    if (params.limit !== undefined) {
      query.limit = limitParam(params.limit);
    }
    if (params.direction) {
      query.direction = params.direction;
    }
    const raw = await this.send('/query', query, params.signal, params.noCache ? NO_CACHE : undefined);
    return parseQueryResponse(raw.body, raw.status);
  }

  async labels(params: LabelsParams): Promise<string[]> {
    const raw = await this.send('/labels', this.rangeQuery(params, params.query), params.signal);
    return parseLabelsResponse(raw.body, raw.status);
  }

  async labelValues(name: string, params: LabelsParams): Promise<string[]> {
    if (typeof name !== 'string' || name === '') {
      throw invalidRequest('The label name is empty.');
    }
    const path = `/label/${encodeURIComponent(name)}/values`;
    const raw = await this.send(path, this.rangeQuery(params, params.query), params.signal);
    return parseLabelsResponse(raw.body, raw.status);
  }

  async series(params: SeriesParams): Promise<LabelSet[]> {
    if (!Array.isArray(params.match) || params.match.length === 0) {
      throw invalidRequest('series needs at least one stream selector (match[]).');
    }
    const query = { ...this.rangeQuery(params), 'match[]': [...params.match] };
    const raw = await this.send('/series', query, params.signal);
    return parseSeriesResponse(raw.body, raw.status);
  }

  async indexStats(params: SelectorRangeParams): Promise<IndexStats> {
    const raw = await this.send('/index/stats', this.rangeQuery(params, this.selector(params)), params.signal);
    return parseIndexStatsResponse(raw.body, raw.status);
  }

  async volume(params: VolumeParams): Promise<VolumeResponse> {
    const raw = await this.send('/index/volume', this.volumeQuery(params), params.signal, params.noCache ? NO_CACHE : undefined);
    return parseVolumeResponse(raw.body, raw.status);
  }

  /** A matrix of bytes per step, or a vector when the range holds a single step bucket. */
  async volumeRange(params: VolumeRangeParams): Promise<VolumeResponse> {
    const query = this.volumeQuery(params);
    query.step = stepParam(params.stepMs ?? defaultStepMs(params.startMs, params.endMs));
    const raw = await this.send('/index/volume_range', query, params.signal);
    return parseVolumeResponse(raw.body, raw.status);
  }

  /**
   * volume_range over a range of any length, one request per window that fits max_query_length and
   * the points cap, merged into one matrix. Loki 3.7.3 accepted a 400-day volume_range under a 366d
   * max_query_length where it refused index/stats, but a deployment that enforces the limit on
   * volume answers "query too long"; windows keep the count at ceil(range / max_query_length).
   */
  async volumeRangeSplit(params: VolumeRangeSplitParams): Promise<VolumeRangeSplitResult> {
    checkRange(params.startMs, params.endMs);
    const stepMs = params.stepMs ?? defaultStepMs(params.startMs, params.endMs);
    stepParam(stepMs);
    const maxLengthMs = params.maxQueryLengthMs ?? this.maxQueryLengthMs;
    try {
      return await volumeWindows(params, stepMs, maxLengthMs, this.maxPoints, (w) => this.volumeRange({ ...params, ...w, stepMs }));
    } catch (error) {
      const limitMs = error instanceof LokiQueryTooLongError ? error.limitMs : undefined;
      const tooLong = limitMs !== undefined && limitMs > 0 && params.endMs - params.startMs > limitMs;
      if (!this.adapt || !tooLong || (maxLengthMs > 0 && limitMs >= maxLengthMs)) {
        throw error;
      }
      this.maxQueryLengthMs = limitMs;
      return volumeWindows(params, stepMs, limitMs, this.maxPoints, (w) => this.volumeRange({ ...params, ...w, stepMs }));
    }
  }

  /**
   * The asking tenant's limits as Loki holds them, runtime overrides applied
   * (`/loki/api/v1/drilldown-limits`, Loki >= 3.6): retention rules, max_query_length, volume limits.
   */
  async drilldownLimits(signal?: AbortSignal): Promise<TenantLimits> {
    const raw = await this.send('/drilldown-limits', {}, signal);
    return parseTenantLimitsResponse(raw.body, raw.status);
  }

  /**
   * Loki's running configuration as Loki prints it (`GET /config`, YAML, outside the tenant API):
   * the one place settings such as compactor.retention_enabled can be read over HTTP. Hosted
   * Lokis may not expose it; the caller says so rather than guessing.
   */
  async config(signal?: AbortSignal): Promise<string> {
    const raw = await this.send('/config', {}, signal, undefined, '');
    return raw.body;
  }

  async detectedFields(params: DetectedFieldsParams): Promise<DetectedFields> {
    const query = this.rangeQuery(params, this.selector(params));
    if (params.lineLimit !== undefined) {
      query.line_limit = limitParam(params.lineLimit, 'lineLimit');
    }
    if (params.limit !== undefined) {
      query.limit = limitParam(params.limit);
    }
    const raw = await this.send('/detected_fields', query, params.signal);
    return parseDetectedFieldsResponse(raw.body, raw.status);
  }

  /**
   * Loki's own check of a LogQL text, cheap and without reading data: its canonical form, or a
   * `LokiParseError` with line and column.
   */
  async formatQuery(query: string, signal?: AbortSignal): Promise<string> {
    if (typeof query !== 'string' || query.trim() === '') {
      throw invalidRequest('The LogQL query is empty.');
    }
    const raw = await this.send('/format_query', { query }, signal);
    return parseFormatQueryResponse(raw.body, raw.status);
  }

  private selector(params: SelectorRangeParams): string {
    if (typeof params.query !== 'string' || params.query.trim() === '') {
      throw invalidRequest('A stream selector is required, e.g. {namespace="mesh"}.');
    }
    return params.query;
  }

  /** start/end always sent: Loki's defaults for metadata differ between docs and code. */
  private rangeQuery(params: RangeParams, query?: string): Params {
    checkRange(params.startMs, params.endMs);
    const out: Params = { start: timeParam(params.startMs, 'startMs'), end: timeParam(params.endMs, 'endMs') };
    if (query !== undefined && query !== '') {
      out.query = query;
    }
    return out;
  }

  private volumeQuery(params: VolumeParams): Params {
    const query = this.rangeQuery(params, this.selector(params));
    if (params.limit !== undefined) {
      query.limit = limitParam(params.limit);
    }
    if (params.targetLabels && params.targetLabels.length > 0) {
      query.targetLabels = params.targetLabels.join(',');
    }
    if (params.aggregateBy) {
      query.aggregateBy = params.aggregateBy;
    }
    return query;
  }

  /** One request with retry; a 2xx raw answer or a typed error. */
  private send(
    path: string,
    params: Params,
    signal?: AbortSignal,
    headers?: Record<string, string>,
    base: string = API
  ): Promise<LokiRawResponse> {
    return withRetry(
      async () => {
        if (signal?.aborted) {
          throw abortedError(signal);
        }
        let raw: LokiRawResponse;
        try {
          raw = await this.transport.request({ path: `${base}${path}`, params, headers, signal });
        } catch (error) {
          throw transportError(error, signal);
        }
        if (raw.status < 200 || raw.status > 299) {
          throw classifyLokiError(raw.status, raw.body ?? '');
        }
        return raw;
      },
      this.retry,
      signal
    );
  }
}

function transportError(error: unknown, signal?: AbortSignal): LokiError {
  if (signal?.aborted) {
    return abortedError(signal);
  }
  if (error instanceof LokiError) {
    return error;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new LokiError({
    kind: 'network',
    status: 0,
    lokiMessage: '',
    message: `Could not reach Loki: ${reason}. Check the Loki URL, that Loki is running, and the network/TLS settings.`,
    cause: error,
  });
}
