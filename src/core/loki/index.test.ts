/** @jest-environment node */
// Through the public entry point, as the data source and the CLI use it.
import { LokiClient, LokiParseError, isLokiError } from './index';
import { FakeLokiTransport } from '../../../test/support/fakeLoki';

describe('public API', () => {
  it('formatQuery returns the canonical text, and a JSON 400 becomes a parse error with position', async () => {
    const transport = new FakeLokiTransport()
      .onFixture('/loki/api/v1/format_query', 'extra/format_query.json', { query: '{foo=   "bar"}' })
      .on('/loki/api/v1/format_query', {
        status: 400,
        body: '{"status":"invalid-query","error":"parse error at line 1, col 6: literal not terminated"}',
        contentType: 'application/json; charset=utf-8',
      });
    const client = new LokiClient(transport);
    expect(await client.formatQuery('{foo=   "bar"}')).toBe('{foo="bar"}');
    const error = await client.formatQuery('{foo="bar}').catch((e: unknown) => e);
    expect(isLokiError(error)).toBe(true);
    expect(error).toBeInstanceOf(LokiParseError);
    expect((error as LokiParseError).column).toBe(6);
  });
});
