/** @jest-environment node */
import { DEFAULT_LABEL_NAMES } from '../core/query';
import { applyAdHocFilters } from './adhoc';

const labels = { ...DEFAULT_LABEL_NAMES, cluster: 'k8s_cluster' };

describe('ad-hoc filters', () => {
  it('adds a filter on the configured label name as a model value', () => {
    expect(applyAdHocFilters({}, [{ key: 'k8s_cluster', operator: '=', value: '"} |= "x' }], labels)).toEqual({ cluster: ['"} |= "x'] });
  });

  it('intersects with the query\'s own filter and says when nothing is left', () => {
    expect(applyAdHocFilters({ namespace: ['a', 'b'] }, [{ key: 'namespace', operator: '=|', value: 'b', values: ['b', 'c'] }], labels)).toEqual({ namespace: ['b'] });
    expect(() => applyAdHocFilters({ namespace: ['a'] }, [{ key: 'namespace', operator: '=', value: 'z' }], labels)).toThrow('excludes every namespace this query selects (a)');
  });

  it('refuses keys and operators it cannot apply', () => {
    expect(() => applyAdHocFilters({}, [{ key: 'pod', operator: '=', value: 'x' }], labels)).toThrow('not supported; use platform, k8s_cluster, namespace');
    expect(() => applyAdHocFilters({}, [{ key: 'namespace', operator: '=~', value: 'x.*' }], labels)).toThrow('operator "=~"');
  });
});
