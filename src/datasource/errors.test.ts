/** @jest-environment node */
import { classifyLokiError } from '../core/loki';
import { LogqlError } from '../core/logql';
import { queryError, URL_TOO_LONG_HINT } from './errors';

describe('queryError', () => {
  it('keeps core\'s typed Loki message and status', () => {
    const error = classifyLokiError(400, 'parse error at line 1, col 6: literal not terminated');
    expect(queryError('A', error)).toEqual({ refId: 'A', message: error.message, status: 400 });
  });

  it('explains a URL that is too long for a proxy', () => {
    const error = classifyLokiError(414, '<html><body><h1>414 Request-URI Too Large</h1></body></html>');
    const result = queryError('A', error);
    expect(result.message).toContain(error.message);
    expect(result.message).toContain(URL_TOO_LONG_HINT);
  });

  it('passes builder errors through and never a stack', () => {
    expect(queryError('B', new LogqlError('a stream selector needs at least one label matcher'))).toEqual({
      refId: 'B',
      message: expect.stringContaining('a stream selector needs at least one label matcher'),
    });
    expect(queryError('C', 'weird')).toEqual({ refId: 'C', message: 'Unexpected error: weird' });
  });
});
