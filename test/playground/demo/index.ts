/**
 * Demo frames for the playground: what the data source's own query() makes of the answers a real
 * Loki gave for loggen's conformance window as a real Promtail shipped it with the compose stack's
 * config, access and audit logs alike (test/fixtures/loki-recorded/normalized-promtail, recorded by
 * `npm run test:loki` with PROMTAIL_BIN), replayed through the Loki data source's proxy route. No stand-in for Loki:
 * every aggregation behind these frames ran in Loki.
 */
import type { DataFrame } from '@grafana/data';
import type { LoggingPolicy } from '../../../src/core/policy';
import { replayLoki, type RecordedAnswer } from '../../support/grafanaRuntime';
import { dataSource, framesOf, TARGETS } from '../../loki/conformance';
import { RERECORD } from '../../loki/rerecord';
import { LOKI_UIDS, PROMTAIL_WINDOW } from '../../loki/window';

export type DemoPanel = 'topology' | 'controls' | 'retention';

export interface Demo {
  /** The dashboard range the recorded queries covered. */
  range: { fromMs: number; toMs: number };
  frames(panel: DemoPanel): DataFrame[];
}

export async function createDemo(policy: LoggingPolicy, recorded: readonly RecordedAnswer[]): Promise<Demo> {
  const ds = dataSource('normalized', replayLoki(recorded, { [LOKI_UIDS.normalized]: PROMTAIL_WINDOW.tenants.normalized }, RERECORD), policy);
  const frames: Record<DemoPanel, DataFrame[]> = {
    topology: await framesOf(ds, TARGETS.topology),
    controls: await framesOf(ds, TARGETS.controls),
    retention: await framesOf(ds, TARGETS.retention),
  };
  return { range: PROMTAIL_WINDOW.range, frames: (panel) => frames[panel] };
}
