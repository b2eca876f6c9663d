import type { AdHocVariableFilter } from '@grafana/data';
import type { LabelNames, StreamFilters } from '../core/query';

/** Ad-hoc filters are offered on the low-cardinality stream labels only. */
export type AdHocKey = 'platform' | 'cluster' | 'namespace';

export function adHocKeys(labels: LabelNames): Array<{ key: AdHocKey; label: string }> {
  return [
    { key: 'platform', label: labels.platform },
    { key: 'cluster', label: labels.cluster },
    { key: 'namespace', label: labels.namespace },
  ];
}

/**
 * Adds ad-hoc filters to a target's filters as escaped matchers (they join the model, never the
 * LogQL text). A filter that narrows an existing one intersects with it; an operator other than
 * "=" or "=|" (one of) is refused with a message rather than ignored.
 */
export function applyAdHocFilters(filters: StreamFilters, adHoc: AdHocVariableFilter[] | undefined, labels: LabelNames): StreamFilters {
  const out: StreamFilters = { ...filters };
  for (const f of adHoc ?? []) {
    const key = adHocKeys(labels).find((k) => k.label === f.key || k.key === f.key)?.key;
    if (!key) {
      throw new Error(`Ad-hoc filter on "${f.key}" is not supported; use ${adHocKeys(labels).map((k) => k.label).join(', ')}.`);
    }
    if (f.operator !== '=' && f.operator !== '=|') {
      throw new Error(`Ad-hoc filter operator "${f.operator}" on "${f.key}" is not supported; use = (or "one of").`);
    }
    const values = f.operator === '=|' && f.values?.length ? f.values : [f.value];
    const current = out[key];
    const next = current && current.length > 0 ? current.filter((v) => values.includes(v)) : values;
    if (next.length === 0) {
      throw new Error(`Ad-hoc filter ${f.key}=${values.join('|')} excludes every ${key} this query selects (${current!.join(', ')}).`);
    }
    out[key] = next;
  }
  return out;
}
