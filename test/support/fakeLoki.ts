/**
 * The one fake Loki: a LokiTransport that answers by path and params and records every request.
 * Core tests use it directly; tests of the Grafana shell put Grafana's BackendSrv in front of it
 * (grafanaRuntime.ts `backendSrvOverLoki`), so every layer meets the same fake.
 */
import type { LokiRawResponse, LokiRequest, LokiTransport } from '../../src/core/loki/types';
import { fixtureStatus, readLokiFixture } from './fixtures';

type Answer = LokiRawResponse | Promise<LokiRawResponse>;
type Route = (request: LokiRequest) => Answer | undefined;

export class FakeLokiTransport implements LokiTransport {
  readonly requests: LokiRequest[] = [];
  private readonly routes: Route[] = [];

  /** Answer requests to `path` (and matching `params`, when given) with this response. */
  on(path: string, response: LokiRawResponse | ((r: LokiRequest) => Answer), params?: Record<string, string>): this {
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
  otherwise(answer: (r: LokiRequest) => Answer): this {
    this.routes.push(answer);
    return this;
  }

  /** Leave every request no earlier route took unanswered, as a Loki still working on it. */
  pending(): this {
    return this.otherwise(() => new Promise<LokiRawResponse>(() => {}));
  }

  /** Answer with a file under test/fixtures/loki; status from an `error_NNN_` name, else 200. */
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
