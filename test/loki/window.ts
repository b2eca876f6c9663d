/**
 * The conformance windows: a loggen seed, rate and 3-hour window each, fixed so that a live run
 * and its replay in CI send the very same requests. The first, 12:00-15:00 UTC at seed 7, holds a
 * 5xx burst (14:00-14:12), the daily silence of `ledger` (13:00-13:45), and the always-on denials
 * and plaintext callers (loggen/scenario.ts); the second is another seed, rate and time of day
 * (a night without the burst or the silence), so nothing holds only for the window it was tuned on.
 *
 * Two tenants of one Loki hold the window: `normalized` has the common-schema JSON a normalising
 * shipper writes (the suite's own `normalizeLine` with the writer's stream labels, which every
 * shipper config is parity-tested against, or real Promtail when PROMTAIL_BIN is set), `raw` has
 * loggen's raw lines for the data source's `auto` mode. Both carry the writer's stream labels, as
 * a node's pod log path gives them (loggen/README.md).
 */
import { generateAudit, type AuditLine } from '../../loggen/audit';
import { generate, type GeneratedLine } from '../../loggen/generate';
import { normalizeLine } from '../../src/core/profiles';
import type { StreamLabel } from '../../src/core/schema';

export interface WindowSpec {
  seed: number;
  ratePerSecond: number;
  startMs: number;
  durationMs: number;
}

export type Leg = 'normalized' | 'raw';
/** The Loki data source uid the Mesh Audit data source of each leg points at. */
export const LOKI_UIDS: Record<Leg, string> = { normalized: 'loki-normalized', raw: 'loki-raw' };

export interface ConformanceWindow {
  /** '' for the first window (its tenants and recordings keep their plain names), else e.g. `-s11`. */
  suffix: string;
  spec: WindowSpec;
  /** The dashboard range the suite queries: the window with a minute's margin, so no line sits on an edge. */
  range: { fromMs: number; toMs: number };
  tenants: Record<Leg, string>;
  lines(): GeneratedLine[];
  /** The API servers' audit events the window's shipper reads beside the access logs; none where the suite pushes the access lines itself. */
  auditLines(): AuditLine[];
}

function conformanceWindow(suffix: string, spec: WindowSpec): ConformanceWindow {
  let lines: GeneratedLine[] | undefined;
  return {
    suffix,
    spec,
    range: { fromMs: spec.startMs - 60_000, toMs: spec.startMs + spec.durationMs + 60_000 },
    tenants: { normalized: `conformance-normalized${suffix}`, raw: `conformance-raw${suffix}` },
    lines: () => (lines ??= [...generate({ seed: spec.seed, start: spec.startMs, durationMs: spec.durationMs, ratePerSecond: spec.ratePerSecond })]),
    auditLines: () => [],
  };
}

export const WINDOWS: readonly ConformanceWindow[] = [
  conformanceWindow('', { seed: 7, ratePerSecond: 5, startMs: Date.UTC(2026, 10, 30, 12, 0), durationMs: 3 * 3_600_000 }),
  conformanceWindow('-s11', { seed: 11, ratePerSecond: 3, startMs: Date.UTC(2026, 10, 28, 21, 0), durationMs: 3 * 3_600_000 }),
];

/**
 * The first window shipped by a real Promtail with provisioning/promtail/promtail.yaml (PROMTAIL_BIN):
 * loggen's pod log files in, normalised records out, read in `normalized` mode only.
 */
let promtailAudit: AuditLine[] | undefined;
export const PROMTAIL_WINDOW: ConformanceWindow = {
  ...WINDOWS[0],
  suffix: '-promtail',
  tenants: { normalized: 'conformance-promtail', raw: 'conformance-promtail' },
  auditLines: () => (promtailAudit ??= [...generateAudit({ seed: WINDOWS[0].spec.seed, start: WINDOWS[0].spec.startMs, durationMs: WINDOWS[0].spec.durationMs })]),
};

/** The first window, which the playground, the benches and the shipper legs use. */
export const FIRST_WINDOW = WINDOWS[0];
export const WINDOW = FIRST_WINDOW.spec;
export const WINDOW_END_MS = WINDOW.startMs + WINDOW.durationMs;
export const QUERY_RANGE = FIRST_WINDOW.range;
export const TENANTS = FIRST_WINDOW.tenants;

export function windowLines(): GeneratedLine[] {
  return FIRST_WINDOW.lines();
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

/** An audit event's stream labels, as the shipper configs set them (promtail.yaml, job kube-apiserver-audit). */
export function auditWriterLabels(line: AuditLine): Record<string, string> {
  return { platform: line.platform, cluster: line.cluster, log_type: line.logType, service_name: 'kube-apiserver' };
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

/**
 * The controls whose full evidence population the suite exports. CC7.2-log-coverage is left out:
 * its population is every request of the required services (~20k here), tens of MB of lines in
 * each recording.
 */
export const EXPORTED_CONTROLS = ['CC6.7-mtls', 'CC6.1-authz-denials', 'CC6.6-boundary-denials', 'CC7.2-error-anomaly', 'CC6.8-unexpected-callers', 'CC6.3-least-privilege', 'A1.1-capacity', 'A1.2-availability'] as const;
