/**
 * Maps Loki's non-2xx answers to typed errors. Loki answers query errors in text/plain; a proxy in
 * front (Grafana) may wrap text in JSON `{"message": ...}`, and format_query answers
 * `{"status":"invalid-query","error": ...}`. Wording differs between Loki versions, so every
 * pattern is case-insensitive and tolerant of the old and new phrasing (research/loki.md §1.12).
 */
import { formatDurationMs, parseDurationMs } from './duration';
import {
  LokiError,
  LokiErrorInit,
  LokiIngestionRateLimitError,
  LokiMaxEntriesError,
  LokiMaxSeriesError,
  LokiParseError,
  LokiQueryTooLongError,
} from './errors';

const MAX_QUOTED = 300;

type Base = Omit<LokiErrorInit, 'kind' | 'message'>;

/** Loki's message out of a body that may be plain text, a JSON wrapper or an HTML error page. */
export function extractErrorText(body: string): string {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    try {
      const json: unknown = JSON.parse(trimmed);
      if (json && typeof json === 'object') {
        const record = json as Record<string, unknown>;
        for (const key of ['message', 'error', 'err']) {
          const value = record[key];
          if (typeof value === 'string' && value.trim() !== '') {
            return value.trim();
          }
        }
      }
    } catch {
      // Not JSON after all: the text is the message.
    }
  }
  if (looksLikeHtml(trimmed)) {
    return htmlToText(trimmed);
  }
  return trimmed;
}

export function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body|<\?xml)/i.test(text);
}

function htmlToText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const text = (title ?? html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' '))
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
  return text || 'an HTML page with no text';
}

/** Loki's text cut to a length that fits in a message (the whole text stays on the error). */
export function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_QUOTED ? `${oneLine.slice(0, MAX_QUOTED)}…` : oneLine;
}

type Rule = (text: string, base: Base) => LokiError | undefined;

const parseRule: Rule = (text, base) => {
  const m = /parse error(?: at line (\d+), col (\d+))?\s*:\s*([\s\S]*)/i.exec(text);
  if (!m) {
    return undefined;
  }
  const line = m[1] === undefined ? undefined : Number(m[1]);
  const column = m[2] === undefined ? undefined : Number(m[2]);
  const detail = m[3].trim();
  const where = line === undefined ? '' : ` at line ${line}, column ${column}`;
  return new LokiParseError(
    {
      ...base,
      message:
        `Loki could not parse the LogQL query${where}: ${detail}. ` +
        'Fix the query at that position; if Mesh Audit generated it, report it as a bug with the query text.',
    },
    line,
    column,
    detail
  );
};

const queryTooLongRule: Rule = (text, base) => {
  const m = /the query time range exceeds the limit \(query length:\s*([^,]+),\s*limit:\s*([^)]+)\)/i.exec(text);
  if (!m) {
    return undefined;
  }
  const queryLength = m[1].trim();
  const limit = m[2].trim();
  const queryLengthMs = parseDurationMs(queryLength);
  const limitMs = parseDurationMs(limit);
  const asked = queryLengthMs === undefined ? queryLength : formatDurationMs(queryLengthMs);
  return new LokiQueryTooLongError(
    {
      ...base,
      message:
        `The query covers ${asked}, more than Loki allows in one query (max_query_length ${limit}): ` +
        `narrow the time range below ${limit} or raise limits_config.max_query_length.`,
    },
    queryLength,
    limit,
    queryLengthMs,
    limitMs
  );
};

const maxSeriesRule: Rule = (text, base) => {
  const m = /maximum (?:number )?of series \((\d+)\) reached/i.exec(text);
  if (!m) {
    return undefined;
  }
  const limit = Number(m[1]);
  return new LokiMaxSeriesError(
    {
      ...base,
      message:
        `The query produces more series than Loki allows (max_query_series=${limit}): ` +
        `group by fewer labels or add label filters; limit max_query_series=${limit} ` +
        '(raise limits_config.max_query_series only if the cardinality is expected).',
    },
    limit
  );
};

/**
 * The index's volume endpoints stop at volume_max_series (pkg/storage/stores/index/seriesvolume,
 * ErrVolumeMaxSeriesHit); Loki 3.7.3 answers it as an HTTP 500, which is no reason to retry.
 */
const volumeMaxSeriesRule: Rule = (text, base) => {
  const m = /the query hit the max number of series limit \(limit: (\d+) series\)/i.exec(text);
  if (!m) {
    return undefined;
  }
  const limit = Number(m[1]);
  return new LokiMaxSeriesError(
    {
      ...base,
      message:
        `Loki's index holds more stream groups for this volume query than volume_max_series (${limit}) allows: ` +
        'raise limits_config.volume_max_series, or select and group by fewer labels.',
    },
    limit
  );
};

const maxEntriesRule: Rule = (text, base) => {
  const m = /max entries limit per query exceeded,\s*limit > max_entries_limit_per_query \((\d+) > (\d+)\)/i.exec(text);
  if (!m) {
    return undefined;
  }
  const requested = Number(m[1]);
  const limit = Number(m[2]);
  return new LokiMaxEntriesError(
    {
      ...base,
      message:
        `The query asks for ${requested} log lines but Loki returns at most ${limit} per query ` +
        `(max_entries_limit_per_query): lower the line limit to ${limit} or less, ` +
        'or raise limits_config.max_entries_limit_per_query.',
    },
    requested,
    limit
  );
};

const ingestionRateRule: Rule = (text, base) => {
  const m = /ingestion rate limit exceeded(?: for user (\S+))?(?: \(limit: (\d+) bytes\/sec\))?/i.exec(text);
  if (!m) {
    return undefined;
  }
  const tenant = m[1];
  const limit = m[2] === undefined ? undefined : Number(m[2]);
  const rate = limit === undefined ? '' : ` (${limit} bytes/sec)`;
  return new LokiIngestionRateLimitError(
    {
      ...base,
      message:
        `Loki refused pushed logs${tenant ? ` for tenant ${tenant}` : ''}: ingestion rate limit exceeded${rate}. ` +
        'This is a write-path limit, not a query problem: reduce log volume at the shipper or raise ' +
        'limits_config.ingestion_rate_mb / ingestion_burst_size_mb for the tenant.',
    },
    tenant,
    limit
  );
};

const TIMEOUT_ADVICE =
  'Loki timed out running the query: shorten the time range or add exact label matchers ' +
  '(prefer = over =~), or raise limits_config.query_timeout and server.http_server_write_timeout.';

/** Kinds that carry no numbers: a pattern, a kind and the advice. */
const SIMPLE_RULES: Array<[RegExp, LokiErrorInit['kind'], (text: string) => string]> = [
  [
    /exceeded maximum resolution of ([\d,]+) points/i,
    'max-resolution',
    (t) =>
      `The step is too small for the range: Loki evaluates at most ` +
      `${/resolution of ([\d,]+)/i.exec(t)?.[1] ?? '11,000'} points per series. Increase the step or shorten the range.`,
  ],
  [
    /max_query_lookback/i,
    'max-query-lookback',
    () =>
      'The time range is older than Loki lets this tenant query (max_query_lookback): ' +
      'move the range forward or raise limits_config.max_query_lookback.',
  ],
  [
    /would read too many bytes/i,
    'too-many-bytes',
    () =>
      'The query would read more data than Loki allows (max_query_bytes_read / max_querier_bytes_read): ' +
      'narrow the time range or add more specific label matchers.',
  ],
  [
    /log queries are not supported as an instant query/i,
    'instant-log-query',
    () => 'A log query was sent as an instant query; log queries need a range query (query_range).',
  ],
  [
    /no org id/i,
    'no-org-id',
    () =>
      'Loki runs with auth_enabled and no tenant was sent (401 "no org id"): set the tenant: X-Scope-OrgID / ' +
      "the Loki data source's tenant header (the CLI transport's tenant option outside Grafana).",
  ],
  [
    /authentication to data source failed/i,
    'unauthorized',
    () =>
      "Grafana could not authenticate to Loki with the Loki data source's credentials (older Grafana reports " +
      "Loki's 401 this way): check the Loki data source's auth settings and tenant header.",
  ],
  [
    /too many outstanding requests/i,
    'too-many-outstanding',
    () =>
      "Loki's query queue for this tenant is full (429 too many outstanding requests): run fewer queries at " +
      'once (fewer panels, longer refresh) or raise query_scheduler.max_outstanding_requests_per_tenant ' +
      '(frontend.max_outstanding_per_tenant without a scheduler).',
  ],
  [/request timed out/i, 'timeout', () => TIMEOUT_ADVICE],
  [
    /request was cancell?ed/i,
    'cancelled',
    () => 'The request was cancelled before Loki finished (HTTP 499); run it again if that was not intended.',
  ],
];

const TEXT_RULES: Rule[] = [parseRule, queryTooLongRule, maxSeriesRule, volumeMaxSeriesRule, maxEntriesRule, ingestionRateRule];

function byStatus(status: number, text: string, base: Base): LokiError {
  const said = text ? `: ${quote(text)}` : '';
  const make = (kind: LokiErrorInit['kind'], message: string) => new LokiError({ ...base, kind, message });
  if (status === 0) {
    // Some transports report "no HTTP answer at all" as status 0 rather than throwing.
    return make('network', `No HTTP answer from Loki${said}: check the Loki URL and that Loki is reachable.`);
  }
  if (status === 504) {
    return make('timeout', `${TIMEOUT_ADVICE} (HTTP 504${said})`);
  }
  if (status === 499) {
    return make('cancelled', 'The request was cancelled before Loki finished (HTTP 499).');
  }
  if (status === 413) {
    return make(
      'response-too-large',
      `Loki's answer is too large to send (HTTP 413${said}): narrow the time range, lower the line limit or ` +
        'aggregate into fewer series; or raise server.grpc_server_max_send_msg_size / grpc_server_max_recv_msg_size.'
    );
  }
  if (status === 401 || status === 403) {
    return make(
      'unauthorized',
      `Loki (or a proxy in front of it) refused the credentials (HTTP ${status}${said}): check the user/password ` +
        'or token and the tenant the data source sends.'
    );
  }
  if (status === 429) {
    return make(
      'rate-limited',
      `Loki or a proxy in front of it is rate limiting requests (HTTP 429${said}): wait and run fewer queries at once.`
    );
  }
  if (status >= 500) {
    return make(
      'server',
      `Loki failed with HTTP ${status}${said}. Try again later; if it persists, check the Loki logs` +
        `${status === 503 ? ' (503 often means a component is still starting or its index is not ready)' : ''}.`
    );
  }
  if (status === 400) {
    return make('bad-request', `Loki rejected the request (HTTP 400${said}). Check the query and its parameters.`);
  }
  return make('http', `Loki answered HTTP ${status}${said || ' with an empty body'}.`);
}

/**
 * The typed error for a non-2xx answer. Never throws: an unrecognised answer becomes an
 * `http`/`server`/`bad-request` error that keeps the status and the whole body.
 */
export function classifyLokiError(status: number, body: string): LokiError {
  const text = extractErrorText(body ?? '');
  const base: Base = { status, lokiMessage: text, body: body ?? '' };
  for (const rule of TEXT_RULES) {
    const error = rule(text, base);
    if (error) {
      return error;
    }
  }
  for (const [pattern, kind, advise] of SIMPLE_RULES) {
    if (pattern.test(text)) {
      return new LokiError({ ...base, kind, message: advise(text) });
    }
  }
  return byStatus(status, text, base);
}
