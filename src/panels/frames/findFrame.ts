import type { DataFrame } from '@grafana/data';

/** The frame a Mesh Audit query type names, e.g. `nodes`, `edges`, `controls`, `retention`. */
export function findFrame(series: DataFrame[], name: string): DataFrame | undefined {
  return series.find((frame) => frame.name === name);
}
