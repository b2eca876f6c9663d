/**
 * The dashboards' template variables: platform, cluster and namespace as Loki label_values
 * queries on the Loki data source, chained (cluster lists only the selected platforms' values,
 * namespace the selected clusters'), each multi-select with "All". Grafana's Loki data source
 * interpolates the chained `stream` selector like a panel query (`metricFindQuery` calls
 * `interpolateString`, i.e. `interpolateQueryExpr`; grafana/grafana
 * public/app/plugins/datasource/loki/datasource.ts), so the escaping of variableMatchers.ts holds.
 */
import { QueryVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { renderSelector, selector } from '../src/core/logql';
import { LOKI } from './datasources';
import { FILTER_VARIABLES, VARIABLE_LABELS, variableMatchers, type FilterVariableName } from './variableMatchers';

/**
 * Grafana's Loki variable query model (grafana/grafana public/app/plugins/datasource/loki/types.ts,
 * `LokiVariableQuery`; `LokiVariableQueryType` is a numeric enum: LabelNames = 0, LabelValues = 1).
 */
type LokiLabelValuesQuery = {
  refId: string;
  type: 1;
  label: string;
  stream?: string;
};

/**
 * The "All" value. Grafana inserts a custom all value verbatim (no escaping); `.+` keeps every
 * stream that has the label while still excluding the empty value, which Loki requires of at
 * least one matcher in a selector.
 */
export const ALL_VALUE = '.+';

const LABELS: Record<FilterVariableName, string> = { platform: 'Platform', cluster: 'Cluster', namespace: 'Namespace' };

function labelValuesVariable(variable: FilterVariableName, parents: readonly FilterVariableName[]) {
  const label = VARIABLE_LABELS[variable];
  const stream = parents.length > 0 ? renderSelector(selector(...variableMatchers(parents))) : undefined;
  const query: LokiLabelValuesQuery = {
    refId: 'LokiVariableQueryEditor-VariableQuery',
    type: 1,
    label,
    ...(stream ? { stream } : {}),
  };
  return (
    new QueryVariableBuilder(variable)
      .label(LABELS[variable])
      .datasource({ ...LOKI })
      .query(query)
      .definition(stream ? `label_values(${stream},${label})` : `label_values(${label})`)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      // Only values Loki reports: Grafana's regex escaping leaves `"` alone, so typed-in values
      // could change a query's structure (see variableMatchers.ts).
      .allowCustomValue(false)
      .allValue(ALL_VALUE)
      .current({ selected: true, text: ['All'], value: ['$__all'] })
  );
}

/** platform, cluster, namespace — each chained on the ones before it. */
export function filterVariables(): QueryVariableBuilder[] {
  return FILTER_VARIABLES.map((variable, index) => labelValuesVariable(variable, FILTER_VARIABLES.slice(0, index)));
}
