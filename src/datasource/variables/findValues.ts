import type { MetricFindValue } from '@grafana/data';
import type { LokiClient } from '../../core/loki/client';
import { accessStreamSelector, buildServiceValuesQueries } from '../../core/queries/variables';
import type { StreamFilters } from '../../core/query';
import { contextFor } from '../../core/plan';
import type { ResolvedSettings } from '../settings';
import { samplesOf } from '../topology/samples';
import type { VariableKind } from './model';

export interface FindRange {
  fromMs: number;
  toMs: number;
}

/**
 * Values for a variable or an ad-hoc filter: label values for stream labels (from Loki's index,
 * scoped to access logs), and for services a metric query summed by dst_service in Loki.
 */
export async function findValues(
  kind: VariableKind,
  filters: StreamFilters,
  client: LokiClient,
  settings: ResolvedSettings,
  range: FindRange
): Promise<MetricFindValue[]> {
  const ctx = contextFor(settings);
  let values: string[];
  if (kind === 'services') {
    const responses = await Promise.all(
      buildServiceValuesQueries(filters, range.toMs - range.fromMs, ctx).map((query) => client.instantQuery({ query, timeMs: range.toMs }))
    );
    values = responses.flatMap((r) => samplesOf(r, 'services').map((s) => s.metric.dst_service)).filter((v): v is string => !!v);
  } else {
    const label = { platforms: settings.labelNames.platform, clusters: settings.labelNames.cluster, namespaces: settings.labelNames.namespace }[kind];
    values = await client.labelValues(label, { startMs: range.fromMs, endMs: range.toMs, query: accessStreamSelector(filters, ctx) });
  }
  return [...new Set(values)].sort().map((text) => ({ text, value: text }));
}
