/** @jest-environment node */
import { readdirSync } from 'node:fs';

import { classifyLokiError, extractErrorText } from './classifyError';
import {
  LokiError,
  LokiIngestionRateLimitError,
  LokiMaxEntriesError,
  LokiMaxSeriesError,
  LokiParseError,
  LokiQueryTooLongError,
} from './errors';
import { LOKI_FIXTURES_DIR, fixtureStatus, readLokiFixture } from '../../../test/support/fixtures';

function fromFixture(name: string): LokiError {
  return classifyLokiError(fixtureStatus(name), readLokiFixture(name));
}

describe('classifyLokiError on the real error fixtures', () => {
  it('covers every error_*.txt fixture with a specific kind (none falls back)', () => {
    const names = readdirSync(LOKI_FIXTURES_DIR).filter((f) => /^error_.*\.txt$/.test(f) && !f.endsWith('.source.txt'));
    expect(names).toHaveLength(8);
    for (const name of names) {
      const error = fromFixture(name);
      expect(['http', 'bad-request', 'server']).not.toContain(error.kind);
      expect(error.status).toBe(fixtureStatus(name));
      expect(error.body).toBe(readLokiFixture(name));
      expect(error.lokiMessage).toBe(readLokiFixture(name).trim());
    }
  });

  it('parse error: line and column extracted, message points at the position', () => {
    const error = fromFixture('error_400_parse.txt');
    expect(error).toBeInstanceOf(LokiParseError);
    const parse = error as LokiParseError;
    expect(parse.kind).toBe('parse');
    expect(parse.line).toBe(1);
    expect(parse.column).toBe(6);
    expect(parse.detail).toBe('literal not terminated');
    expect(parse.message).toContain('line 1, column 6: literal not terminated');
  });

  it('parse error without a position ("parse error : ...")', () => {
    const error = classifyLokiError(
      400,
      'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value.'
    ) as LokiParseError;
    expect(error.kind).toBe('parse');
    expect(error.line).toBeUndefined();
    expect(error.detail).toMatch(/^queries require at least one/);
  });

  it('query too long: both durations carried, in both notations', () => {
    const error = fromFixture('error_400_query_too_long.txt') as LokiQueryTooLongError;
    expect(error).toBeInstanceOf(LokiQueryTooLongError);
    expect(error.queryLength).toBe('48h0m0s');
    expect(error.limit).toBe('1d');
    expect(error.queryLengthMs).toBe(48 * 3600_000);
    expect(error.limitMs).toBe(24 * 3600_000);
    expect(error.message).toContain('narrow the time range below 1d or raise limits_config.max_query_length');
  });

  it('query too long with the default limit 30d1h', () => {
    const error = classifyLokiError(
      400,
      'the query time range exceeds the limit (query length: 744h0m0s, limit: 30d1h)'
    ) as LokiQueryTooLongError;
    expect(error.limitMs).toBe(721 * 3600_000);
    expect(error.message).toContain('below 30d1h');
    expect(error.message).toContain('31d');
  });

  it.each(['error_400_max_series.txt', 'error_400_max_series_legacy.txt'])('max series (%s): limit carried', (name) => {
    const error = fromFixture(name) as LokiMaxSeriesError;
    expect(error).toBeInstanceOf(LokiMaxSeriesError);
    expect(error.limit).toBe(500);
    expect(error.message).toContain('group by fewer labels or add label filters; limit max_query_series=500');
  });

  it('max entries: requested and limit carried', () => {
    const error = fromFixture('error_400_max_entries.txt') as LokiMaxEntriesError;
    expect(error).toBeInstanceOf(LokiMaxEntriesError);
    expect(error.requested).toBe(10000);
    expect(error.limit).toBe(5000);
    expect(error.message).toContain('lower the line limit to 5000');
    expect(error.message).toContain('max_entries_limit_per_query');
  });

  it('401 no org id tells where to set the tenant', () => {
    const error = fromFixture('error_401_no_org_id.txt');
    expect(error.kind).toBe('no-org-id');
    expect(error.message).toContain("set the tenant: X-Scope-OrgID / the Loki data source's tenant header");
  });

  it('429 too many outstanding requests is retryable', () => {
    const error = fromFixture('error_429_too_many_outstanding.txt');
    expect(error.kind).toBe('too-many-outstanding');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('max_outstanding_requests_per_tenant');
  });

  it.each([
    ['new wording', readLokiFixture('error_429_ingestion_rate_limit.txt')],
    ['pre-3.6 capital I', readLokiFixture('error_429_ingestion_rate_limit.txt').replace(/^i/, 'I')],
  ])('429 ingestion rate limit (%s): tenant and rate carried, not retryable', (_, body) => {
    const error = classifyLokiError(429, body) as LokiIngestionRateLimitError;
    expect(error).toBeInstanceOf(LokiIngestionRateLimitError);
    expect(error.tenant).toBe('test');
    expect(error.limitBytesPerSecond).toBe(100);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('ingestion_rate_mb');
  });
});

describe('classifyLokiError on status-only and wrapped answers', () => {
  it('504 with Loki timeout text and with an empty body', () => {
    const text =
      'request timed out, decrease the duration of the request or add more label matchers (prefer exact match over regex match) to reduce the amount of data processed';
    expect(classifyLokiError(504, text).kind).toBe('timeout');
    const bare = classifyLokiError(504, '');
    expect(bare.kind).toBe('timeout');
    expect(bare.message).toContain('query_timeout');
  });

  it('499 cancelled, 413 too large, 503 server, 418 generic keeps status and body', () => {
    expect(classifyLokiError(499, 'the request was cancelled by the client').kind).toBe('cancelled');
    const big = classifyLokiError(413, 'response larger than the max message size (104857600 vs 167772160)');
    expect(big.kind).toBe('response-too-large');
    expect(big.message).toContain('narrow the time range');
    const down = classifyLokiError(503, 'index gateway not ready');
    expect(down.kind).toBe('server');
    expect(down.message).toContain('HTTP 503');
    expect(down.message).toContain('index gateway not ready');
    expect(classifyLokiError(0, '').kind).toBe('network');
    const odd = classifyLokiError(418, 'short and stout');
    expect(odd.kind).toBe('http');
    expect(odd.status).toBe(418);
    expect(odd.body).toBe('short and stout');
    expect(odd.message).toContain('short and stout');
  });

  it("reads Grafana's JSON {message} wrapper and format_query's {error}", () => {
    const wrapped = classifyLokiError(
      400,
      JSON.stringify({ message: readLokiFixture('error_400_max_entries.txt'), traceID: '' })
    );
    expect(wrapped.kind).toBe('max-entries');
    const formatQuery = classifyLokiError(400, readLokiFixture('extra/format_query_error.json')) as LokiParseError;
    expect(formatQuery.kind).toBe('parse');
    expect(formatQuery.column).toBe(6);
    expect(classifyLokiError(400, '{"message":"Authentication to data source failed"}').kind).toBe('unauthorized');
    const grafanaAuth = classifyLokiError(401, '{"message":"Unauthorized"}');
    expect(grafanaAuth.kind).toBe('unauthorized');
    expect(grafanaAuth.lokiMessage).toBe('Unauthorized');
  });

  it('an HTML error page becomes readable text, and the raw page stays on the error', () => {
    const html =
      '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';
    const error = classifyLokiError(502, html);
    expect(error.kind).toBe('server');
    expect(error.lokiMessage).toBe('502 Bad Gateway');
    expect(error.body).toBe(html);
  });

  it('matches wording case-insensitively', () => {
    expect(classifyLokiError(429, 'Too Many Outstanding Requests').kind).toBe('too-many-outstanding');
    expect(classifyLokiError(400, 'MAXIMUM OF SERIES (50000) REACHED FOR A SINGLE QUERY').kind).toBe('max-series');
  });

  it('extractErrorText leaves plain text alone and falls back on invalid JSON', () => {
    expect(extractErrorText('no org id\n')).toBe('no org id');
    expect(extractErrorText('{not json')).toBe('{not json');
  });
});
