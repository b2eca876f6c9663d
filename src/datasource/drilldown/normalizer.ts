import { normalizeLine } from '../../core/profiles';
import type { LineContext, ParseResult } from '../../core/profiles/types';
import type { LogSource } from '../../core/query';
import { PROFILE_NAMES, RECORD_FIELDS, type AccessRecord } from '../../core/schema';

const KNOWN_FORMATS = new Set<string>(PROFILE_NAMES);

/**
 * A line already normalised at ingest (common-schema JSON). Missing keys are null (the schema's
 * "unknown"); a line that is not such JSON says so rather than being guessed at.
 */
export function readNormalizedLine(line: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not JSON: the data source is set to "normalised at ingest" but this line is not a common-schema record' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'not a JSON object' };
  }
  const o = value as Record<string, unknown>;
  if (typeof o.mesh !== 'string' || typeof o.format !== 'string' || !KNOWN_FORMATS.has(o.format)) {
    return { ok: false, error: 'JSON without the common schema\'s "mesh" and "format" keys' };
  }
  const record: Record<string, unknown> = {};
  for (const key of RECORD_FIELDS) {
    record[key] = o[key] ?? null;
  }
  record.response_flags = Array.isArray(o.response_flags) ? o.response_flags.map(String) : [];
  for (const [key, fallback] of [['direction', 'unknown'], ['mtls', 'unknown'], ['mtls_basis', 'none'], ['authz', 'unknown']] as const) {
    record[key] = typeof o[key] === 'string' ? o[key] : fallback;
  }
  return { ok: true, record: record as unknown as AccessRecord };
}

/** How drill-down lines are read: common-schema JSON, or per-line detection of the raw format. */
export function normalizerFor(source: LogSource) {
  if (source.kind === 'normalized') {
    return (line: string) => readNormalizedLine(line);
  }
  return (line: string, context: LineContext) => normalizeLine(line, { format: 'auto', context });
}
