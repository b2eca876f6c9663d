/**
 * The conformance window: one loggen seed, rate and 3-hour window, fixed so that a live run and
 * its replay in CI send the very same requests. 12:00-15:00 UTC holds a 5xx burst (14:00-14:12),
 * the daily silence of `ledger` (13:00-13:45), and the always-on denials and plaintext callers
 * (loggen/scenario.ts).
 *
 * Two tenants of one Loki hold the window: `normalized` has the common-schema JSON a normalising
 * shipper writes (the suite's own `normalizeLine` with the writer's stream labels, which every
 * shipper config is parity-tested against, or real Promtail when PROMTAIL_BIN is set), `raw` has
 * loggen's raw lines for the data source's `auto` mode. Both carry the writer's stream labels, as
 * a node's pod log path gives them (loggen/README.md).
 */
import { generate, type GeneratedLine } from '../../loggen/generate';
import { normalizeLine } from '../../src/core/profiles';
import type { StreamLabel } from '../../src/core/schema';

export const WINDOW = {
  seed: 7,
  ratePerSecond: 5,
  startMs: Date.UTC(2026, 10, 30, 12, 0),
  durationMs: 3 * 3_600_000,
};
export const WINDOW_END_MS = WINDOW.startMs + WINDOW.durationMs;

/** The dashboard range the suite queries: the window with a minute's margin, so no line sits on an edge. */
export const QUERY_RANGE = { fromMs: WINDOW.startMs - 60_000, toMs: WINDOW_END_MS + 60_000 };

export const TENANTS = { normalized: 'conformance-normalized', raw: 'conformance-raw' } as const;
export type Leg = keyof typeof TENANTS;
/** The Loki data source uid the Mesh Audit data source of each leg points at. */
export const LOKI_UIDS: Record<Leg, string> = { normalized: 'loki-normalized', raw: 'loki-raw' };

export function windowLines(): GeneratedLine[] {
  return [...generate({ seed: WINDOW.seed, start: WINDOW.startMs, durationMs: WINDOW.durationMs, ratePerSecond: WINDOW.ratePerSecond })];
}

/** The writer's stream labels, as a shipper derives them from the pod's log path. */
export function writerLabels(line: GeneratedLine): Record<StreamLabel, string> {
  return {
    platform: line.platform,
    cluster: line.cluster,
    mesh: line.mesh,
    namespace: line.namespace,
    log_type: 'access',
    service_name: line.workload,
  };
}

/** What a normalising shipper writes for the line: the record, or its error record (never dropped). */
export function normalizedLine(line: GeneratedLine): string {
  const result = normalizeLine(line.line, { format: line.format, context: { labels: writerLabels(line) } });
  return JSON.stringify(result.ok ? result.record : { format: line.format, error: result.error, raw: line.line });
}

export interface PushStream {
  stream: Record<string, string>;
  values: Array<[string, string]>;
}

/**
 * Loki push bodies (`/loki/api/v1/push` JSON) of at most `maxLines` lines each, in time order
 * across all streams, as a shipper tailing every file at once sends them: Loki takes a line only
 * if it is no more than max_chunk_age/2 older than its stream's newest (research/real-path.md).
 */
export function pushBodies(lines: readonly GeneratedLine[], leg: Leg, maxLines = 1000): Array<{ streams: PushStream[] }> {
  const ordered = [...lines].sort((a, b) => a.timeMs - b.timeMs);
  const bodies: Array<{ streams: PushStream[] }> = [];
  for (let i = 0; i < ordered.length; i += maxLines) {
    const streams = new Map<string, PushStream>();
    for (const line of ordered.slice(i, i + maxLines)) {
      const labels = writerLabels(line);
      const key = JSON.stringify(labels);
      let s = streams.get(key);
      if (!s) {
        s = { stream: labels, values: [] };
        streams.set(key, s);
      }
      s.values.push([`${line.timeMs}000000`, leg === 'normalized' ? normalizedLine(line) : line.line]);
    }
    bodies.push({ streams: [...streams.values()] });
  }
  return bodies;
}
