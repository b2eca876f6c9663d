/** @jest-environment node */
import { decodedStrings } from '../../../test/support/logql';
import { DEFAULT_POLICY, type LoggingPolicy } from '../policy';
import { DEFAULT_LABEL_NAMES } from '../query';
import { buildRetentionQueries } from './retention';
import { buildRetentionIndexRequests } from './retention-index';

const policy = (classes: Array<[string, Record<string, string>]>): LoggingPolicy => ({
  ...DEFAULT_POLICY,
  logClasses: classes.map(([name, selector]) => ({ name, selector, retentionDays: 30 })),
});

describe('buildRetentionIndexRequests', () => {
  it('answers every class sharing a label with one request, aggregated by each class label and the extra ones, as matchers that keep streams without them', () => {
    const queries = buildRetentionQueries(
      [],
      { cluster: ['eu'] },
      policy([
        ['a', { log_type: 'access' }],
        ['p', { log_type: 'access', namespace: 'payments' }],
        ['u', { log_type: 'audit' }],
      ]),
      DEFAULT_LABEL_NAMES
    );
    expect(buildRetentionIndexRequests(queries, ['team'])).toEqual([
      {
        selector: '{log_type=~"access|audit", cluster="eu", namespace=~".*", team=~".*"}',
        labels: ['log_type', 'namespace', 'team'],
        classes: ['a', 'p', 'u'],
      },
    ]);
  });

  it('groups classes without a common label separately, and escapes every value', () => {
    const queries = buildRetentionQueries(
      [],
      {},
      policy([
        ['a', { log_type: 'a.b' }],
        ['t', { team: 'x"y' }],
        ['b', { log_type: 'c|d' }],
      ]),
      DEFAULT_LABEL_NAMES
    );
    const requests = buildRetentionIndexRequests(queries);
    expect(requests.map((r) => r.classes)).toEqual([['a', 'b'], ['t']]);
    expect(decodedStrings(requests[0].selector)).toEqual(['a\\.b|c\\|d']);
    expect(decodedStrings(requests[1].selector)).toEqual(['x"y']);
    expect(() => buildRetentionIndexRequests(queries, ['bad-label'])).toThrow(/invalid label name "bad-label"/);
  });
});
