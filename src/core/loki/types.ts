/**
 * The Loki client's transport seam: inside Grafana it goes through the Loki data source's proxy
 * route; in the CLI it is direct HTTP. Both return Loki's raw HTTP answer, parsed by core.
 */
export interface LokiRequest {
  /** API path below the Loki root, e.g. `/loki/api/v1/query_range`. */
  path: string;
  params: Record<string, string | string[]>;
  /** Extra headers, e.g. `X-Loki-Response-Encoding-Flags`. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface LokiRawResponse {
  status: number;
  /** Raw body text (JSON or Loki's text/plain error). */
  body: string;
  contentType?: string;
}

export interface LokiTransport {
  request(request: LokiRequest): Promise<LokiRawResponse>;
}

/** Times are epoch milliseconds; values are numbers (NaN and ±Infinity kept as such). */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[timeMs: number, value: number]>;
}

export interface VectorSample {
  metric: Record<string, string>;
  timeMs: number;
  value: number;
}

export interface LogEntry {
  /** Nanosecond epoch as a string: exact, unlike a JS number. */
  timeNs: string;
  line: string;
  structuredMetadata: Record<string, string>;
  parsed: Record<string, string>;
}

export interface LogStream {
  /** Index labels (in uncategorized responses also SM and parsed labels, as Loki merged them). */
  labels: Record<string, string>;
  entries: LogEntry[];
}

export type QueryResult =
  | { resultType: 'matrix'; result: MatrixSeries[]; warnings: string[] }
  | { resultType: 'vector'; result: VectorSample[]; warnings: string[] }
  | { resultType: 'scalar'; result: { timeMs: number; value: number }; warnings: string[] }
  | { resultType: 'streams'; result: LogStream[]; warnings: string[] };
