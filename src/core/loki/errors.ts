/**
 * Typed Loki errors. Every failure the client reports is a `LokiError` with a `kind` to branch
 * on, the HTTP status, Loki's own text (`lokiMessage`) and a `message` that says what to change.
 * Turning a raw HTTP answer into one of these lives in `classifyError.ts`.
 */

export type LokiErrorKind =
  | 'parse'
  | 'query-too-long'
  | 'max-series'
  | 'max-entries'
  | 'max-resolution'
  | 'max-query-lookback'
  | 'too-many-bytes'
  | 'instant-log-query'
  | 'bad-request'
  | 'invalid-request'
  | 'no-org-id'
  | 'unauthorized'
  | 'too-many-outstanding'
  | 'ingestion-rate-limit'
  | 'rate-limited'
  | 'timeout'
  | 'cancelled'
  | 'response-too-large'
  | 'server'
  | 'http'
  | 'malformed-response'
  | 'network'
  | 'aborted';

export interface LokiErrorInit {
  kind: LokiErrorKind;
  /** HTTP status; 0 when no HTTP answer arrived (network failure, abort). */
  status: number;
  /** Loki's text as it said it (extracted from a JSON wrapper when there was one). */
  lokiMessage: string;
  /** What the user should do, in one or two sentences. */
  message: string;
  /** The raw body, kept whole so nothing Loki said is lost. */
  body?: string;
  cause?: unknown;
}

export class LokiError extends Error {
  readonly kind: LokiErrorKind;
  readonly status: number;
  readonly lokiMessage: string;
  readonly body: string;

  constructor(init: LokiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'LokiError';
    this.kind = init.kind;
    this.status = init.status;
    this.lokiMessage = init.lokiMessage;
    this.body = init.body ?? init.lokiMessage;
  }

  /** Worth sending the same request again after a pause. */
  get retryable(): boolean {
    return this.kind === 'too-many-outstanding';
  }
}

/** `parse error at line L, col C: detail` (position absent in `parse error : detail`). */
export class LokiParseError extends LokiError {
  constructor(
    init: Omit<LokiErrorInit, 'kind'>,
    readonly line: number | undefined,
    readonly column: number | undefined,
    readonly detail: string
  ) {
    super({ ...init, kind: 'parse' });
    this.name = 'LokiParseError';
  }
}

/** The range asked for is longer than `max_query_length`. */
export class LokiQueryTooLongError extends LokiError {
  constructor(
    init: Omit<LokiErrorInit, 'kind'>,
    /** As Loki printed it (Go notation, e.g. "48h0m0s"). */
    readonly queryLength: string,
    /** As Loki printed it (Prometheus notation, e.g. "30d1h"). */
    readonly limit: string,
    readonly queryLengthMs: number | undefined,
    readonly limitMs: number | undefined
  ) {
    super({ ...init, kind: 'query-too-long' });
    this.name = 'LokiQueryTooLongError';
  }
}

/** A metric query produced more series than `max_query_series`. */
export class LokiMaxSeriesError extends LokiError {
  constructor(
    init: Omit<LokiErrorInit, 'kind'>,
    readonly limit: number
  ) {
    super({ ...init, kind: 'max-series' });
    this.name = 'LokiMaxSeriesError';
  }
}

/** The `limit=` of a log query is above `max_entries_limit_per_query`. */
export class LokiMaxEntriesError extends LokiError {
  constructor(
    init: Omit<LokiErrorInit, 'kind'>,
    readonly requested: number,
    readonly limit: number
  ) {
    super({ ...init, kind: 'max-entries' });
    this.name = 'LokiMaxEntriesError';
  }
}

/** A push was refused by the distributor's per-tenant ingestion rate limit. */
export class LokiIngestionRateLimitError extends LokiError {
  constructor(
    init: Omit<LokiErrorInit, 'kind'>,
    readonly tenant: string | undefined,
    readonly limitBytesPerSecond: number | undefined
  ) {
    super({ ...init, kind: 'ingestion-rate-limit' });
    this.name = 'LokiIngestionRateLimitError';
  }
}

/** A 2xx body that is not what the endpoint returns (truncated, HTML, wrong shape). */
export class LokiMalformedResponseError extends LokiError {
  constructor(
    init: Omit<LokiErrorInit, 'kind'>,
    /** Where in the body the problem is, e.g. `data.result[3].values[2]`. */
    readonly path: string
  ) {
    super({ ...init, kind: 'malformed-response' });
    this.name = 'LokiMalformedResponseError';
  }
}

export function isLokiError(error: unknown): error is LokiError {
  return error instanceof LokiError;
}
