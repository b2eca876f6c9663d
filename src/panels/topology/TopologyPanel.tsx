import React from 'react';
import type { PanelProps } from '@grafana/data';
import { PanelEmptyState } from '../../components/PanelEmptyState';
import { findFrame } from '../frames/findFrame';
import type { TopologyPanelOptions } from './types';

/** Renders the `nodes` / `edges` frames of a topology query. */
export function TopologyPanel({ data }: PanelProps<TopologyPanelOptions>) {
  const edges = findFrame(data.series, 'edges');
  const nodes = findFrame(data.series, 'nodes');
  if (!edges || edges.length === 0) {
    return (
      <PanelEmptyState
        testId="topology-panel-empty"
        title="No mesh traffic to draw"
        detail={
          data.series.length === 0
            ? 'The query returned no frames. Check the time range and the Mesh Audit data source query type (topology).'
            : 'The query returned frames, but none named "edges" with rows. Use the Mesh Audit data source with query type "topology".'
        }
      />
    );
  }
  return (
    <div data-testid="topology-panel">
      {nodes?.length ?? 0} services, {edges.length} edges
    </div>
  );
}
