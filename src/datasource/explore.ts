import type { ExpressionKind } from '../core/plan';
import { serializeStateToUrlParam, toURLRange, urlUtil, type ExploreUrlState, type RawTimeRange } from '@grafana/data';

/**
 * A Grafana Explore link that opens LogQL in the Loki data source: Explore's `panes` URL state
 * (schemaVersion 1), one pane holding the query for the given range. The Loki data source runs
 * log queries as `range` queries.
 */
export function exploreUrl(lokiUid: string, expr: string, range: RawTimeRange, kind: ExpressionKind = 'range'): string {
  const pane: ExploreUrlState = {
    datasource: lokiUid,
    queries: [{ refId: 'A', datasource: { type: 'loki', uid: lokiUid }, expr, queryType: kind === 'instant' ? 'instant' : 'range' } as ExploreUrlState['queries'][number]],
    range: toURLRange(range),
  };
  return urlUtil.renderUrl('/explore', { schemaVersion: 1, panes: JSON.stringify({ meshaudit: JSON.parse(serializeStateToUrlParam(pane)) }) });
}
