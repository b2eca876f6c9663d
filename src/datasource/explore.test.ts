import { dateTime } from '@grafana/data';
import { exploreUrl } from './explore';

describe('exploreUrl', () => {
  it('opens the LogQL in the Loki data source for the range', () => {
    const expr = 'sum by (dst_service) (count_over_time({log_type="access", namespace="a&b"} | json [1h]))';
    const url = exploreUrl('loki-uid', expr, { from: 'now-6h', to: 'now' }, 'instant');
    expect(url.startsWith('/explore?')).toBe(true);
    const params = new URLSearchParams(url.slice('/explore?'.length));
    expect(params.get('schemaVersion')).toBe('1');
    const panes = JSON.parse(params.get('panes')!);
    expect(panes.meshaudit.datasource).toBe('loki-uid');
    expect(panes.meshaudit.queries).toEqual([{ refId: 'A', datasource: { type: 'loki', uid: 'loki-uid' }, expr, queryType: 'instant' }]);
    expect(panes.meshaudit.range).toEqual({ from: 'now-6h', to: 'now' });
  });

  it('keeps absolute ranges as epoch milliseconds', () => {
    const url = exploreUrl('l', '{a="b"}', { from: dateTime(1000), to: dateTime(2000) });
    const panes = JSON.parse(new URLSearchParams(url.split('?')[1]).get('panes')!);
    expect(panes.meshaudit.range).toEqual({ from: '1000', to: '2000' });
  });
});
