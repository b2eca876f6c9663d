/**
 * The Loki client of Mesh Audit (DESIGN.md, "Talking to Loki"): parsers for Loki's raw HTTP
 * answers, typed errors with actionable messages, and `LokiClient`, which builds requests, splits
 * long ranges under max_query_length and retries 429 queue-full answers, over a `LokiTransport`
 * (Grafana's data-source proxy in the browser, direct HTTP in the CLI).
 */
export type * from './types';
export * from './errors';
export { classifyLokiError, extractErrorText } from './classifyError';
export { formatDurationMs, formatStepParam, parseDurationMs } from './duration';
export { parseQueryResponse } from './parse/parseQueryResponse';
export {
  parseDetectedFieldsResponse,
  parseFormatQueryResponse,
  parseIndexStatsResponse,
  parseLabelsResponse,
  parseSeriesResponse,
} from './parse/parseMetadata';
export { parseVolumeResponse, type VolumeResponse } from './parse/parseVolume';
export { parseTenantLimitsResponse, type TenantLimits } from './parse/parseLimits';
export { parseSampleValue } from './parse/sampleValue';
export {
  API,
  DEFAULT_LINE_LIMIT,
  ENCODING_FLAGS_HEADER,
  LokiClient,
  type DetectedFieldsParams,
  type InstantQueryParams,
  type LabelsParams,
  type LokiClientOptions,
  type QueryRangeParams,
  type RangeParams,
  type SelectorRangeParams,
  type SeriesParams,
  type VolumeParams,
  type VolumeRangeParams,
  type VolumeRangeSplitParams,
  type VolumeRangeSplitResult,
} from './client';
export { DEFAULT_MAX_QUERY_LENGTH_MS, MAX_POINTS_PER_SERIES, splitRange, type TimeRange } from './rangeSplit';
export { compareNs, labelsKey, mergeMatrix, mergeQueryResponses, mergeStreams, type Direction } from './mergeResults';
export { backoffDelayMs, sleep, withRetry, type RetryOptions } from './retry';
