/** @jest-environment node */
import { expandList, expandValue, interpolateQuery, InterpolationError, MAX_EXPANDED_VALUES } from './interpolate';
import { fakeTemplateSrv } from '../../test/support/templateSrv';

const srv = fakeTemplateSrv({
  ns: ['payments', 'checkout'],
  cluster: 'prod-east',
  evil: '"} |= "x',
  all: '$__all',
  many: Array.from({ length: 30 }, (_, i) => `v${i}`),
});

describe('variable interpolation in the query model', () => {
  it('expands a multi-value variable into a list and a single one into one value', () => {
    expect(expandValue('$ns', srv)).toEqual(['payments', 'checkout']);
    expect(expandValue('${cluster}', srv)).toEqual(['prod-east']);
    expect(expandValue('team-$ns-v1', srv)).toEqual(['team-payments-v1', 'team-checkout-v1']);
    expect(expandValue('plain', srv)).toEqual(['plain']);
  });

  it('keeps a hostile value as one literal value', () => {
    expect(expandValue('$evil', srv)).toEqual(['"} |= "x']);
  });

  it('rejects a NUL character rather than mis-expanding around it', () => {
    expect(() => expandValue('a\u00000\u0000b', srv)).toThrow('NUL');
  });

  it('prefers scoped vars (repeated panels) over dashboard variables', () => {
    expect(expandValue('$cluster', srv, { cluster: { text: 'west', value: 'prod-west' } })).toEqual(['prod-west']);
  });

  it('treats "All" as no filter', () => {
    expect(expandList(['$all'], srv)).toBeUndefined();
    expect(expandList(['.*'], srv)).toBeUndefined();
  });

  it('de-duplicates and drops empty values', () => {
    expect(expandList(['$ns', 'payments', ''], srv)).toEqual(['payments', 'checkout']);
    expect(expandList([], srv)).toBeUndefined();
  });

  it('refuses a combinatorial explosion with a clear message', () => {
    expect(30 * 30).toBeGreaterThan(MAX_EXPANDED_VALUES);
    expect(() => expandValue('$many-$many', srv)).toThrow(InterpolationError);
    expect(() => expandValue('$many-$many', srv)).toThrow(/expands to more than 500 values/);
  });

  it('interpolates filters, controls and the logs drill-down, leaving the rest alone', () => {
    const q = interpolateQuery(
      {
        refId: 'A',
        queryType: 'logs',
        filters: { namespace: ['$ns'], cluster: ['$cluster'], platform: ['$all'], service: ['$evil'] },
        controls: ['$cluster'],
        logs: { srcWorkload: '$evil', dstService: 'reviews', limit: 100 },
      },
      srv
    );
    expect(q.filters).toEqual({ namespace: ['payments', 'checkout'], cluster: ['prod-east'], service: ['"} |= "x'] });
    expect(q.controls).toEqual(['prod-east']);
    expect(q.logs).toEqual({ srcWorkload: '"} |= "x', dstService: 'reviews', controlId: undefined, limit: 100 });
    expect(q.queryType).toBe('logs');
  });

  it('says which drill-down value has too many values', () => {
    expect(() => interpolateQuery({ refId: 'A', logs: { srcWorkload: '$ns', limit: 10 } }, srv)).toThrow(
      'Source workload "$ns" expands to 2 values'
    );
  });
});
