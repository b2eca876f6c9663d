import type { TestDataSourceResponse } from '@grafana/data';
import type { LokiClient } from '../core/loki/client';
import { isLokiError } from '../core/loki/errors';
import { detectProfile } from '../core/profiles';
import { accessStreamSelector } from '../core/queries/variables';
import { readNormalizedLine } from './drilldown/normalizer';
import { contextFor } from '../core/plan';
import type { ResolvedSettings } from './settings';

export const SAMPLE_LINES = 50;
const HOUR_MS = 3_600_000;
export const NORMALIZED = 'common-schema JSON';
export const UNRECOGNISED = 'unrecognised';

/** Which format each sampled line is in (normalised record, a profile, or unrecognised). */
export function recogniseLines(lines: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const name = readNormalizedLine(line).ok ? NORMALIZED : (detectProfile(line)?.name ?? UNRECOGNISED);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function describeCounts(counts: Map<string, number>): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}

/** Formats found in the data that the configuration would not read. */
function mismatch(settings: ResolvedSettings, counts: Map<string, number>): string | undefined {
  const found = [...counts.keys()].filter((k) => k !== UNRECOGNISED);
  if (settings.logSource.kind === 'normalized') {
    const other = found.filter((k) => k !== NORMALIZED);
    return other.length > 0 ? `The data source expects normalised records, but Loki also holds ${other.join(', ')} lines: choose "Auto-detect" or "Raw".` : undefined;
  }
  const configured = new Set<string>(settings.logSource.profiles);
  const missing = found.filter((k) => k !== NORMALIZED && !configured.has(k));
  return missing.length > 0 ? `Loki holds ${missing.join(', ')} lines that the configured profiles do not read: add them under "Profiles in use".` : undefined;
}

/**
 * "Save & test": a labels call and a small access-log sample through the Loki data source, then
 * which mesh formats the sample contains. Loki's own error, typed by core, is reported as is.
 */
export async function checkHealth(client: LokiClient, settings: ResolvedSettings, nowMs: number): Promise<TestDataSourceResponse> {
  if (!settings.lokiUid) {
    return { status: 'error', message: 'Pick the Loki data source that holds the mesh access logs.' };
  }
  const range = { startMs: nowMs - HOUR_MS, endMs: nowMs };
  try {
    const labels = await client.labels(range);
    const logType = settings.labelNames.logType;
    if (!labels.includes(logType)) {
      return {
        status: 'warning',
        message: `Loki answers (${labels.length} labels in the last hour), but none is "${logType}": access logs need the ${logType}="access" stream label, or set "Log type label" to the label your shipper uses.`,
      };
    }
    const response = await client.queryRange({ query: accessStreamSelector({}, contextFor(settings)), ...range, limit: SAMPLE_LINES, direction: 'backward' });
    const lines = response.resultType === 'streams' ? response.result.flatMap((s) => s.entries.map((e) => e.line)) : [];
    if (lines.length === 0) {
      return { status: 'warning', message: `Loki answers, but there are no ${logType}="access" lines in the last hour. Check the shipper.` };
    }
    const counts = recogniseLines(lines);
    const sample = `Loki answers through the data source proxy. Sampled ${lines.length} access-log lines from the last hour: ${describeCounts(counts)}.`;
    const problem = mismatch(settings, counts);
    return problem ? { status: 'warning', message: `${sample} ${problem}` } : { status: 'success', message: sample };
  } catch (error) {
    const message = isLokiError(error) || error instanceof Error ? error.message : String(error);
    return { status: 'error', message };
  }
}
