/** @jest-environment node */
import { readdirSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { LokiClient } from '../core/loki/client';
import type { LokiError } from '../core/loki/errors';
import { LOKI_FIXTURES_DIR, fixtureStatus, readLokiFixture } from '../../test/support/fixtures';
import { MAX_GET_URL_LENGTH, createLokiHttpTransport } from './lokiHttpTransport';

const TLS_DIR = join(LOKI_FIXTURES_DIR, 'tls');
const START = Date.UTC(2026, 0, 1);
const RANGE = { startMs: START, endMs: START + 3600_000 };

interface Seen {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A stand-in Loki: serves the fixture named by the `query` param (error fixtures with their
 * status and text/plain, like Loki's WriteError), `slow` never answers in time, `flaky` answers
 * 429 once, the rest of /loki/api/v1 from fixtures by path.
 */
function lokiHandler(seen: Seen[]): http.RequestListener {
  let flakyCalls = 0;
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url, headers: req.headers, body });
      const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
      const query = params.get('query') ?? '';
      const send = (status: number, text: string, type: string) => {
        res.writeHead(status, { 'Content-Type': type });
        res.end(text);
      };
      if (query === 'slow') {
        setTimeout(() => send(200, readLokiFixture('query_range_matrix.json'), 'application/json'), 3000).unref();
        return;
      }
      if (query === 'flaky' && ++flakyCalls === 1) {
        send(429, readLokiFixture('error_429_too_many_outstanding.txt'), 'text/plain; charset=utf-8');
        return;
      }
      if (query.startsWith('error_')) {
        send(fixtureStatus(query), readLokiFixture(query), 'text/plain; charset=utf-8');
        return;
      }
      const byPath: Record<string, string> = {
        '/loki/api/v1/query_range': 'query_range_streams_categorized.json',
        '/prefix/loki/api/v1/query_range': 'query_range_matrix.json',
        '/loki/api/v1/labels': 'labels.json',
        '/loki/api/v1/series': 'series.json',
      };
      const fixture = byPath[url.pathname];
      if (fixture) {
        send(200, readLokiFixture(fixture), 'application/json; charset=utf-8');
      } else {
        send(404, '404 page not found\n', 'text/plain; charset=utf-8');
      }
    });
  };
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

async function failure(promise: Promise<unknown>): Promise<LokiError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: LokiError) => error
  );
}

describe('Loki HTTP transport over a local HTTP server', () => {
  const seen: Seen[] = [];
  const server = http.createServer(lokiHandler(seen));
  let url = '';

  beforeAll(async () => {
    url = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => close(server));
  beforeEach(() => {
    seen.length = 0;
  });

  it('sends tenant, basic auth, the encoding-flags header and ns params; returns status, body, content type', async () => {
    const transport = createLokiHttpTransport({
      url,
      tenant: 'team-a|team-b',
      basicAuth: { username: 'reader', password: 'p@ss:word' },
    });
    const client = new LokiClient(transport);
    const answer = await client.queryRange({
      query: '{mesh="istio"} |= "x"',
      ...RANGE,
      stepMs: 60_000,
      categorizeLabels: true,
    });
    expect(answer.resultType === 'streams' && answer.result[2].entries[0].parsed).toEqual({ msg: 'baz' });
    const [request] = seen;
    expect(request.method).toBe('GET');
    expect(request.url.pathname).toBe('/loki/api/v1/query_range');
    expect(Object.fromEntries(request.url.searchParams)).toEqual({
      query: '{mesh="istio"} |= "x"',
      start: `${START}000000`,
      end: `${START + 3600_000}000000`,
      step: '60s',
    });
    expect(request.headers['x-scope-orgid']).toBe('team-a|team-b');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('reader:p@ss:word').toString('base64')}`);
    expect(request.headers['x-loki-response-encoding-flags']).toBe('categorize-labels');

    const raw = await transport.request({ path: '/loki/api/v1/labels', params: {} });
    expect(raw).toEqual({
      status: 200,
      body: readLokiFixture('labels.json'),
      contentType: 'application/json; charset=utf-8',
    });
  });

  it('bearer token, no tenant header when none is set, repeated match[] params, URL path prefix', async () => {
    const client = new LokiClient(createLokiHttpTransport({ url: `${url}/prefix/`, bearerToken: 'tok.en' }));
    const matrix = await client.queryRange({ query: 'sum(rate({a="b"}[1m]))', ...RANGE });
    expect(matrix.resultType).toBe('matrix');
    expect(seen[0].url.pathname).toBe('/prefix/loki/api/v1/query_range');
    expect(seen[0].headers.authorization).toBe('Bearer tok.en');
    expect(seen[0].headers).not.toHaveProperty('x-scope-orgid');

    const plain = new LokiClient(createLokiHttpTransport({ url }));
    await plain.series({ ...RANGE, match: ['{a="1"}', '{b="2"}'] });
    expect(seen[1].url.searchParams.getAll('match[]')).toEqual(['{a="1"}', '{b="2"}']);
    expect(seen[1].headers).not.toHaveProperty('authorization');
  });

  it('every error fixture, served over HTTP with its status, becomes its typed error', async () => {
    const client = new LokiClient(createLokiHttpTransport({ url }), { retry: { maxRetries: 0 } });
    const names = readdirSync(LOKI_FIXTURES_DIR).filter((f) => /^error_.*\.txt$/.test(f) && !f.endsWith('.source.txt'));
    const kinds: Record<string, string> = {};
    for (const name of names) {
      const error = await failure(client.queryRange({ query: name, ...RANGE }));
      expect(error.status).toBe(fixtureStatus(name));
      expect(error.body).toBe(readLokiFixture(name));
      kinds[name] = error.kind;
    }
    expect(kinds).toEqual({
      'error_400_max_entries.txt': 'max-entries',
      'error_400_max_series.txt': 'max-series',
      'error_400_max_series_legacy.txt': 'max-series',
      'error_400_parse.txt': 'parse',
      'error_400_query_too_long.txt': 'query-too-long',
      'error_401_no_org_id.txt': 'no-org-id',
      'error_429_ingestion_rate_limit.txt': 'ingestion-rate-limit',
      'error_429_too_many_outstanding.txt': 'too-many-outstanding',
    });
  });

  it('a 429 queue-full answer is retried over the wire', async () => {
    const client = new LokiClient(createLokiHttpTransport({ url }), { retry: { baseDelayMs: 1 } });
    await client.queryRange({ query: 'flaky', ...RANGE });
    expect(seen.map((s) => s.url.searchParams.get('query'))).toEqual(['flaky', 'flaky']);
  });

  it('an unknown path keeps the status and the body', async () => {
    const error = await failure(
      new LokiClient(createLokiHttpTransport({ url })).indexStats({ query: '{a="b"}', ...RANGE })
    );
    expect(error).toMatchObject({ kind: 'http', status: 404, body: '404 page not found\n' });
  });

  it('a URL too long for GET goes as a POST form to endpoints that accept it', async () => {
    const selector = `{a=~"${'x|'.repeat(MAX_GET_URL_LENGTH / 2)}y"}`;
    await new LokiClient(createLokiHttpTransport({ url })).queryRange({ query: selector, ...RANGE });
    expect(seen[0].method).toBe('POST');
    expect(seen[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen[0].url.search).toBe('');
    expect(new URLSearchParams(seen[0].body).get('query')).toBe(selector);
  });

  it('times out with a typed timeout error', async () => {
    const client = new LokiClient(createLokiHttpTransport({ url, timeoutMs: 100 }));
    const error = await failure(client.queryRange({ query: 'slow', ...RANGE }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('0.1s');
  });

  it('aborts an in-flight request', async () => {
    const controller = new AbortController();
    const pending = new LokiClient(createLokiHttpTransport({ url })).queryRange({
      query: 'slow',
      ...RANGE,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).kind).toBe('aborted');
  });

  it('a closed port is a network error that names the address', async () => {
    const spare = http.createServer();
    const port = await listen(spare);
    await close(spare);
    const error = await failure(
      new LokiClient(createLokiHttpTransport({ url: `http://127.0.0.1:${port}` })).labels(RANGE)
    );
    expect(error.kind).toBe('network');
    expect(error.message).toContain(`Nothing accepts connections at 127.0.0.1:${port}`);
  });
});

describe('Loki HTTP transport configuration errors', () => {
  it.each([
    [{ url: 'loki:3100' }, /http:\/\/ or https:\/\//],
    [{ url: 'not a url' }, /not a valid URL/],
    [{ url: 'http://u:p@loki:3100' }, /not in the URL/],
    [{ url: 'http://loki', bearerToken: 't', basicAuth: { username: 'u', password: 'p' } }, /not both/],
    [{ url: 'http://loki', tenant: 'a\r\nX-Evil: 1' }, /tenant .* line breaks/],
    [{ url: 'http://loki', tls: { insecureSkipVerify: true } }, /plain http/],
    [{ url: 'https://loki', tls: { caFile: '/nonexistent/ca.pem' } }, /Cannot read the CA file \/nonexistent\/ca.pem/],
    [{ url: 'https://loki', tls: { certFile: 'x' } }, /both the certificate file and the key file/],
  ])('%j', (options, message) => {
    expect(() => createLokiHttpTransport(options)).toThrow(message);
  });
});

describe('Loki HTTP transport over HTTPS with a private CA', () => {
  const seen: Seen[] = [];
  const server = https.createServer(
    { cert: readFileSync(join(TLS_DIR, 'server.crt')), key: readFileSync(join(TLS_DIR, 'server.key')) },
    lokiHandler(seen)
  );
  let port = 0;
  beforeAll(async () => {
    port = await listen(server);
  });
  afterAll(() => close(server));

  it('refuses the unknown CA by default, with advice', async () => {
    const error = await failure(
      new LokiClient(createLokiHttpTransport({ url: `https://localhost:${port}` })).labels(RANGE)
    );
    expect(error.kind).toBe('network');
    expect(error.message).toContain('TLS verification failed');
  });

  it('trusts the server with the CA file, and with verification skipped', async () => {
    const withCa = createLokiHttpTransport({
      url: `https://localhost:${port}`,
      tls: { caFile: join(TLS_DIR, 'ca.crt') },
    });
    expect(await new LokiClient(withCa).labels(RANGE)).toEqual(['foo', 'bar', 'baz']);
    const skip = createLokiHttpTransport({ url: `https://127.0.0.1:${port}`, tls: { insecureSkipVerify: true } });
    expect(await new LokiClient(skip).labels(RANGE)).toEqual(['foo', 'bar', 'baz']);
  });

  it('plain http against the TLS port is reported, not hung on', async () => {
    const client = new LokiClient(createLokiHttpTransport({ url: `http://127.0.0.1:${port}`, timeoutMs: 2000 }));
    const error = await failure(client.labels(RANGE));
    expect(error.kind).toBe('network');
    expect(error.message).toContain('use an https:// URL');
  });
});
