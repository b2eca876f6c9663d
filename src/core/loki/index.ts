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
  parseIndexStatsResponse,
  parseLabelsResponse,
  parseSeriesResponse,
} from './parse/parseMetadata';
export { parseVolumeResponse, type VolumeResponse } from './parse/parseVolume';
export { parseSampleValue } from './parse/sampleValue';
