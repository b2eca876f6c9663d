import React, { useMemo } from 'react';
import type { PanelProps } from '@grafana/data';
import { PanelEmptyState } from '../../components/PanelEmptyState';
import { FRAME } from '../../core/frames';
import { findFrame, readFrame } from '../frames/findFrame';
import { readGraph } from './graphModel';
import { dataLinks, exploreLogsUrl } from './links';
import type { SideLinks } from './SidePanel';
import { TopologyCanvas } from './TopologyCanvas';
import { DEFAULT_TOPOLOGY_PANEL_OPTIONS, type TopologyPanelOptions } from './types';

/**
 * Beyond this many services a browser without a GPU spends seconds a frame; the panel asks for a
 * coarser grouping instead of freezing the dashboard.
 */
export const MAX_DRAWN_SERVICES = 25_000;

/** Renders the `nodes` / `edges` frames of a topology query on a canvas, grouped platform › cluster › namespace. */
export function TopologyPanel({ data, width, height, options, timeRange, replaceVariables }: PanelProps<TopologyPanelOptions>) {
  const opts = { ...DEFAULT_TOPOLOGY_PANEL_OPTIONS, ...options };
  const edgesFrame = findFrame(data.series, FRAME.edges);
  const nodesFrame = findFrame(data.series, FRAME.nodes);
  const read = useMemo(() => (edgesFrame ? readFrame(() => readGraph(nodesFrame, edgesFrame)) : undefined), [nodesFrame, edgesFrame]);
  const datasource = data.request?.targets[0]?.datasource ?? undefined;
  const links: SideLinks = useMemo(
    () => ({
      explore: (query) => exploreLogsUrl(datasource ?? undefined, query, timeRange),
      dataLinks: (kind, row) => dataLinks(kind === 'node' ? nodesFrame : edgesFrame, row, replaceVariables),
    }),
    [datasource, timeRange, nodesFrame, edgesFrame, replaceVariables]
  );

  if (read instanceof Error) {
    return <PanelEmptyState testId="topology-panel-error" title="Cannot draw this topology" detail={read.message} />;
  }
  if (!read || read.nodes.length === 0) {
    return (
      <PanelEmptyState
        testId="topology-panel-empty"
        title="No mesh traffic to draw"
        detail={
          data.series.length === 0
            ? 'The query returned no frames. Check the time range and the Mesh Audit data source query type (topology).'
            : 'The query returned no edges with traffic. Use the Mesh Audit data source with query type "topology", or widen the time range.'
        }
      />
    );
  }
  if (read.nodes.length > MAX_DRAWN_SERVICES) {
    return (
      <PanelEmptyState
        testId="topology-panel-too-many"
        title={`${read.nodes.length} services are too many to draw`}
        detail={`This panel draws up to ${MAX_DRAWN_SERVICES.toLocaleString('en-US')}. Group the query by namespace or cluster, or filter by platform or cluster.`}
      />
    );
  }
  return <TopologyCanvas graph={read} width={width} height={height} options={opts} links={links} />;
}
