/**
 * Mesh overview: the topology in our panel and in Grafana's Node Graph (same frames), then the
 * golden signals computed in Loki (rate, 5xx share, p95 latency, mTLS share).
 */
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  EdgeOptionsBuilder,
  NodeOptionsBuilder,
  PanelBuilder as NodeGraphPanelBuilder,
} from '@grafana/grafana-foundation-sdk/nodegraph';
import type { LoggingPolicy } from '../../src/core/policy';
import { DEFAULT_TOPOLOGY_OPTIONS } from '../../src/core/query';
import { dashboardBase } from '../dashboardBase';
import { MESH_AUDIT } from '../datasources';
import { lokiTarget } from '../lokiTarget';
import { AUTO, WHOLE_RANGE, errorShare, latencyP95, mtlsShare, requestRate } from '../lokiQueries';
import { MeshAuditQueryBuilder } from '../meshAuditQuery';
import { TopologyPanelBuilder } from '../meshAuditPanels';
import { DEFAULT_TOPOLOGY_PANEL_OPTIONS } from '../../src/panels/topology/types';
import { buildDashboard } from '../panelIds';
import { statPanel, thresholds, timeseriesPanel } from '../standardPanels';
import { FILTER_VARIABLES } from '../variableMatchers';

export const OVERVIEW_UID = 'mesh-audit-overview';

const topologyTarget = () =>
  new MeshAuditQueryBuilder('topology').filterByVariables(FILTER_VARIABLES).topology({ ...DEFAULT_TOPOLOGY_OPTIONS });

const STAT = { w: 6, h: 4 };
const SERIES = { w: 12, h: 8 };

export function overviewDashboard(policy: LoggingPolicy): Dashboard {
  const { maxErrorShare, minMtlsShare } = policy.thresholds;
  const errorThresholds = () => thresholds('green', [maxErrorShare, 'red']);
  // Below the policy's minimum share is a finding; exactly at it (1 = all mTLS) is green.
  const mtlsThresholds = () => thresholds('red', [minMtlsShare, 'green']);
  return buildDashboard(
    dashboardBase({
      uid: OVERVIEW_UID,
      title: 'Mesh Audit / Mesh overview',
      description:
        'Service-mesh topology across platforms and clusters, with golden signals from mesh access logs in Loki.',
      tags: ['topology'],
      from: 'now-1h',
      refresh: '1m',
    })
      .withRow(new RowBuilder('Topology'))
      .withPanel(
        new TopologyPanelBuilder()
          .title('Mesh topology')
          .description(
            'Services in collapsible platform › cluster › namespace boxes; edges show rate, 5xx share and p95 latency, dashed by mTLS state. Click a service or edge for its numbers and logs.'
          )
          .withTarget(topologyTarget())
          // The badges read the policy the dashboards are generated for.
          .panelOptions({ ...DEFAULT_TOPOLOGY_PANEL_OPTIONS, strictNamespaces: policy.strictMtlsNamespaces.join(','), requiredServices: policy.requiredServices.join(',') })
          .span(14)
          .height(14)
      )
      .withPanel(
        new NodeGraphPanelBuilder()
          .title('Mesh topology (Node Graph)')
          .description("The same nodes and edges frames in Grafana's built-in Node Graph panel.")
          .datasource({ ...MESH_AUDIT })
          .withTarget(topologyTarget())
          // Units of the data source's frames (src/datasource/frames/topologyFrames.ts):
          // nodes show requests in / out, edges request rate and 5xx percent.
          .nodes(new NodeOptionsBuilder().mainStatUnit('reqps').secondaryStatUnit('reqps'))
          .edges(new EdgeOptionsBuilder().mainStatUnit('reqps').secondaryStatUnit('percent'))
          .span(10)
          .height(14)
      )
      .withRow(new RowBuilder('Golden signals'))
      .withPanel(
        statPanel({
          title: 'Request rate',
          description: 'Requests per second in mesh access logs, averaged over the time range.',
          unit: 'reqps',
          size: STAT,
          targets: [
            lokiTarget(requestRate([], WHOLE_RANGE), { refId: 'A', queryType: 'instant', legendFormat: 'requests' }),
          ],
        })
      )
      .withPanel(
        statPanel({
          title: '5xx share',
          description: `Share of HTTP responses with a 5xx status over the time range. Policy maximum: ${maxErrorShare * 100}%.`,
          unit: 'percentunit',
          size: STAT,
          targets: [
            lokiTarget(errorShare([], WHOLE_RANGE), { refId: 'A', queryType: 'instant', legendFormat: '5xx share' }),
          ],
          thresholds: errorThresholds(),
          decimals: 2,
        })
      )
      .withPanel(
        statPanel({
          title: 'p95 latency',
          description: '95th percentile request duration over the time range.',
          unit: 'ms',
          size: STAT,
          targets: [lokiTarget(latencyP95([], WHOLE_RANGE), { refId: 'A', queryType: 'instant', legendFormat: 'p95' })],
        })
      )
      .withPanel(
        statPanel({
          title: 'mTLS share',
          description: `Share of requests with mutual TLS over the time range (unknown counts as not mTLS). Policy minimum in strict namespaces: ${minMtlsShare * 100}%.`,
          unit: 'percentunit',
          size: STAT,
          targets: [
            lokiTarget(mtlsShare([], WHOLE_RANGE), { refId: 'A', queryType: 'instant', legendFormat: 'mTLS share' }),
          ],
          thresholds: mtlsThresholds(),
          decimals: 1,
        })
      )
      .withPanel(
        timeseriesPanel({
          title: 'Request rate by namespace',
          description: 'Requests per second by namespace.',
          unit: 'reqps',
          size: SERIES,
          targets: [lokiTarget(requestRate(['namespace'], AUTO), { refId: 'A', legendFormat: '{{namespace}}' })],
        })
      )
      .withPanel(
        timeseriesPanel({
          title: '5xx share by namespace',
          description: 'Share of HTTP responses with a 5xx status, by namespace.',
          unit: 'percentunit',
          size: SERIES,
          targets: [lokiTarget(errorShare(['namespace'], AUTO), { refId: 'A', legendFormat: '{{namespace}}' })],
          thresholds: errorThresholds(),
        })
      )
      .withPanel(
        timeseriesPanel({
          title: 'p95 latency by namespace',
          description: '95th percentile request duration by namespace.',
          unit: 'ms',
          size: SERIES,
          targets: [lokiTarget(latencyP95(['namespace'], AUTO), { refId: 'A', legendFormat: '{{namespace}}' })],
        })
      )
      .withPanel(
        timeseriesPanel({
          title: 'mTLS share by namespace',
          description: 'Share of requests with mutual TLS by namespace.',
          unit: 'percentunit',
          size: SERIES,
          targets: [lokiTarget(mtlsShare(['namespace'], AUTO), { refId: 'A', legendFormat: '{{namespace}}' })],
          thresholds: mtlsThresholds(),
        })
      )
  );
}
