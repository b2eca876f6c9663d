/**
 * The topology query type on the demo records: the four named measures grouped exactly as
 * `buildTopologyQueries` / `buildTopologyMtlsStateQueries` group them (the data source's plan
 * replaces the `mtls` measure with its per-state split), then the data source's own
 * `joinTopology` and `topologyFrames`.
 */
import type { DataFrame } from '@grafana/data';
import { DEFAULT_LABEL_NAMES, DEFAULT_TOPOLOGY_OPTIONS, type TopologyOptions } from '../../../src/core/query';
import { topologyGroupKeys } from '../../../src/core/queries/topology';
import { MTLS_STATE_LABEL } from '../../../src/core/queries/topology-mtls-states';
import { topologyFrames } from '../../../src/datasource/frames/topologyFrames';
import { joinTopology, type TopologyVectors } from '../../../src/datasource/topology/join';
import type { Topology } from '../../../src/datasource/topology/model';
import { DEFAULT_POLICY } from '../../../src/core/policy';
import type { FieldFilter } from '../../../src/core/queries/field-filter';
import { matchesFilter, quantileBy, sumCountBy, type LokiEntry } from './lokiStandIn';

/** The `errors` measure's filter (topology.ts: `numeric('status', '>=', 500)`). */
const SERVER_ERROR: FieldFilter = { field: 'status', compare: '>=', value: 500 };

export function demoTopologyVectors(entries: readonly LokiEntry[], options: TopologyOptions, endMs: number): TopologyVectors {
  const keys = topologyGroupKeys(options.groupBy, DEFAULT_LABEL_NAMES);
  const all = () => true;
  return {
    requests: sumCountBy(entries, keys, all, endMs),
    ...(options.showErrors
      ? { errors: sumCountBy(entries, keys, (e) => matchesFilter(e, SERVER_ERROR, DEFAULT_POLICY), endMs) }
      : {}),
    ...(options.showLatency ? { latency_p95: quantileBy(0.95, entries, 'duration_ms', keys, endMs) } : {}),
    ...(options.showMtls ? { mtls: sumCountBy(entries, [...keys, MTLS_STATE_LABEL], all, endMs) } : {}),
  };
}

export function demoTopology(
  entries: readonly LokiEntry[],
  range: { fromMs: number; toMs: number },
  options: TopologyOptions = DEFAULT_TOPOLOGY_OPTIONS
): { topology: Topology; frames: DataFrame[]; rangeSeconds: number } {
  const rangeSeconds = (range.toMs - range.fromMs) / 1000;
  const topology = joinTopology(demoTopologyVectors(entries, options, range.toMs), {
    groupBy: options.groupBy,
    labelNames: DEFAULT_LABEL_NAMES,
    rangeSeconds,
  });
  return { topology, frames: topologyFrames(topology, rangeSeconds, 'A'), rangeSeconds };
}
