/**
 * loggen's lines for the demo window, normalised the way a shipper does before Loki
 * (`normalizeLine` with the writer's stream labels), as entries a LogQL metric query sees.
 */
import { normalizeLine } from '../../../src/core/profiles';
import { generate, type GeneratedLine } from '../../../loggen/generate';
import { lokiEntry, type LokiEntry } from './lokiStandIn';
import { DEMO_DURATION_MS, DEMO_RATE, DEMO_SEED, DEMO_START_MS } from './window';

export interface DemoLine {
  line: GeneratedLine;
  /** Null when the line did not parse (Loki's `__error__=""` would drop it from every query). */
  entry: LokiEntry | null;
}

/**
 * Loki stream labels of a generated line. `namespace` is the namespace of the proxy that wrote it,
 * as in a real cluster where the pod's log path names it (loggen/README.md; the compose demo's
 * file-tailing Promtail can only label some lines).
 */
export function streamLabels(line: GeneratedLine): Record<string, string> {
  return { platform: line.platform, cluster: line.cluster, mesh: line.mesh, namespace: line.namespace, log_type: 'access' };
}

export function demoLine(line: GeneratedLine): DemoLine {
  const stream = streamLabels(line);
  const parsed = normalizeLine(line.line, { format: line.format, context: { labels: { namespace: line.namespace, workload: line.workload } } });
  return { line, entry: parsed.ok ? lokiEntry(line.timeMs, stream, parsed.record) : null };
}

export interface DemoWindow {
  seed: number;
  startMs: number;
  durationMs: number;
  ratePerSecond: number;
}

export const DEMO_WINDOW: DemoWindow = { seed: DEMO_SEED, startMs: DEMO_START_MS, durationMs: DEMO_DURATION_MS, ratePerSecond: DEMO_RATE };

export function demoLines(window: DemoWindow = DEMO_WINDOW): DemoLine[] {
  const out: DemoLine[] = [];
  for (const line of generate({ seed: window.seed, start: window.startMs, durationMs: window.durationMs, ratePerSecond: window.ratePerSecond })) {
    out.push(demoLine(line));
  }
  return out;
}

export const parsedEntries = (lines: readonly DemoLine[]): LokiEntry[] =>
  lines.flatMap((l) => (l.entry === null ? [] : [l.entry]));
