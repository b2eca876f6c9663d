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

/*
 * Additions below extend the contract above without renaming anything.
 */

/**
 * A success body that carried only `warnings` and no `data` (seen from Grafana Cloud Adaptive Logs):
 * there is no result type to report, so it is its own case rather than a guessed empty matrix.
 */
export interface EmptyQueryResult {
  resultType: 'empty';
  result: [];
  warnings: string[];
}

/**
 * `QueryResult` plus the no-data case and the optional `stats.summary`; what the parser and the
 * client return for query endpoints. Assignable to `QueryResult` once `resultType` is narrowed.
 */
export type QueryResponse = (QueryResult | EmptyQueryResult) & {
  stats?: QueryStatsSummary;
  /**
   * `data.encodingFlags` as Loki echoed them, e.g. ["categorize-labels"]. Absent when Loki ignored
   * the request header (Loki < 3.0): then SM and parsed labels are merged into the stream labels.
   */
  encodingFlags?: string[];
};

/** `stats.summary` of a query response; every field optional (the shape varies by Loki version). */
export interface QueryStatsSummary {
  bytesProcessedPerSecond?: number;
  linesProcessedPerSecond?: number;
  totalBytesProcessed?: number;
  totalLinesProcessed?: number;
  /** Seconds. */
  execTime?: number;
  /** Seconds. */
  queueTime?: number;
  subqueries?: number;
  totalEntriesReturned?: number;
  splits?: number;
  shards?: number;
  totalPostFilterLines?: number;
  totalStructuredMetadataBytesProcessed?: number;
}

/** A flat label map, as `/series` returns per stream. */
export type LabelSet = Record<string, string>;

/** `/index/stats`: approximate, from the index only (excludes data still in ingesters). */
export interface IndexStats {
  streams: number;
  chunks: number;
  /** Uncompressed bytes, KB granularity. */
  bytes: number;
  entries: number;
}

export type DetectedFieldType = 'string' | 'int' | 'float' | 'boolean' | 'duration' | 'bytes';

export interface DetectedField {
  label: string;
  /** Kept as Loki sent it; Loki may add types, so unknown strings pass through. */
  type: DetectedFieldType | string;
  cardinality: number;
  /** `null` when no parser was needed (stream labels, structured metadata). */
  parsers: string[] | null;
  /** Path segments into the JSON line, when the json parser found it. */
  jsonPath?: string[];
}

export interface DetectedFields {
  fields: DetectedField[];
  limit?: number;
}
