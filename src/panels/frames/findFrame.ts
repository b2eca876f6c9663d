import type { DataFrame } from '@grafana/data';
import type { FrameName } from '../../core/frames';

/** The frame of that name among a query's results; Mesh Audit names every frame it returns. */
export function findFrame(series: DataFrame[], name: FrameName): DataFrame | undefined {
  return series.find((frame) => frame.name === name);
}
