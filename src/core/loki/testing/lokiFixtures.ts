/**
 * Test support (never imported by production code): the real Loki bodies copied into
 * test/fixtures/loki, and a fake transport that serves them by path and params.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { LokiRawResponse, LokiRequest, LokiTransport } from '../types';

export const LOKI_FIXTURES_DIR = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'loki');

/** A fixture's text, e.g. `query_range_matrix.json` or `extra/patterns.json`. */
export function readLokiFixture(name: string): string {
  return readFileSync(join(LOKI_FIXTURES_DIR, name), 'utf8');
}

/** The HTTP status encoded in an error fixture's name (`error_429_...txt` -> 429). */
export function fixtureStatus(name: string): number {
  const m = /^error_(\d{3})_/.exec(name);
  return m ? Number(m[1]) : 200;
}

type Route = (request: LokiRequest) => LokiRawResponse | undefined;

/** Serves fixture bodies by route and records every request it receives. */
export class FakeLokiTransport implements LokiTransport {
  readonly requests: LokiRequest[] = [];
  private readonly routes: Route[] = [];

  /** Answer requests to `path` (and matching `params`, when given) with this response. */
  on(
    path: string,
    response: LokiRawResponse | ((r: LokiRequest) => LokiRawResponse),
    params?: Record<string, string>
  ): this {
    this.routes.push((request) => {
      if (request.path !== path) {
        return undefined;
      }
      if (params && Object.entries(params).some(([k, v]) => request.params[k] !== v)) {
        return undefined;
      }
      return typeof response === 'function' ? response(request) : response;
    });
    return this;
  }

  /** Answer every request no earlier route took with a function of the request. */
  otherwise(answer: (r: LokiRequest) => LokiRawResponse): this {
    this.routes.push(answer);
    return this;
  }

  /** Answer with a fixture file; status from an `error_NNN_` name, else 200. */
  onFixture(path: string, fixture: string, params?: Record<string, string>): this {
    const body = readLokiFixture(fixture);
    const status = fixtureStatus(fixture.replace(/^.*\//, ''));
    const contentType = fixture.endsWith('.json') ? 'application/json' : 'text/plain; charset=utf-8';
    return this.on(path, { status, body, contentType }, params);
  }

  async request(request: LokiRequest): Promise<LokiRawResponse> {
    this.requests.push(request);
    if (request.signal?.aborted) {
      throw request.signal.reason ?? new Error('aborted');
    }
    for (const route of this.routes) {
      const response = route(request);
      if (response) {
        return response;
      }
    }
    return { status: 404, body: `404 page not found (fake transport has no route for ${request.path})` };
  }
}
