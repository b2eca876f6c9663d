/**
 * Demo frames for the playground: loggen's lines for a fixed seed and window, normalised to the
 * common schema, aggregated by the Loki stand-in (lokiStandIn.ts: playground only; in production
 * Loki aggregates) and shaped by the data source's own frame builders. Computed lazily, once per
 * panel kind.
 */
import type { DataFrame } from '@grafana/data';
import type { LoggingPolicy } from '../../../src/core/policy';
import { demoControlsFrames } from './controls';
import { demoLines, parsedEntries, type DemoLine } from './lines';
import type { LokiEntry } from './lokiStandIn';
import { demoRetentionFrames } from './retention';
import { demoTopology } from './topology';
import { DAY_MS } from '../../../src/datasource/frames/retentionFrame';
import { DEMO_END_MS, DEMO_START_MS, RETENTION_DAYS } from './window';

export type DemoPanel = 'topology' | 'controls' | 'retention';

export interface Demo {
  /** The window the topology and controls frames cover. */
  range: { fromMs: number; toMs: number };
  /** The window of the retention frame: RETENTION_DAYS whole UTC days before the demo day. */
  retentionRange: { fromMs: number; toMs: number };
  frames(panel: DemoPanel): DataFrame[];
}

export function createDemo(policy: LoggingPolicy): Demo {
  const range = { fromMs: DEMO_START_MS, toMs: DEMO_END_MS };
  // Whole UTC days up to the demo day's midnight: the retention panel reads a partial last day as
  // a thin (gap) day, which would be an artefact of where the demo window ends, not of the data.
  const retentionEnd = Math.floor(DEMO_END_MS / DAY_MS) * DAY_MS;
  const retentionRange = { fromMs: retentionEnd - RETENTION_DAYS * DAY_MS, toMs: retentionEnd };
  let lines: DemoLine[] | undefined;
  let entries: LokiEntry[] | undefined;
  const records = () => {
    lines ??= demoLines();
    entries ??= parsedEntries(lines);
    return entries;
  };
  const cache = new Map<DemoPanel, DataFrame[]>();
  const build = (panel: DemoPanel): DataFrame[] => {
    switch (panel) {
      case 'topology':
        return demoTopology(records(), range).frames;
      case 'controls':
        return demoControlsFrames(records(), policy, range);
      case 'retention':
        return demoRetentionFrames(policy, retentionRange);
    }
  };
  return {
    range,
    retentionRange,
    frames(panel) {
      let frames = cache.get(panel);
      if (!frames) {
        frames = build(panel);
        cache.set(panel, frames);
      }
      return frames;
    },
  };
}
