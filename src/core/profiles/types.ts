import type { AccessRecord, Mesh, ProfileName } from '../schema';

/** What the shipper or Loki stream labels tell us about where a line came from. */
export interface LineContext {
  /** Loki stream labels or shipper metadata (namespace, pod, cluster, ...). */
  labels?: Record<string, string>;
}

export type ParseResult = { ok: true; record: AccessRecord } | { ok: false; error: string };

/** One mesh access-log format: detection, parsing into the common schema, and its LogQL stage. */
export interface Profile {
  name: ProfileName;
  mesh: Mesh;
  /** Cheap test on the raw line; auto-detection tries profiles in a fixed order. */
  detect(line: string): boolean;
  /** Never throws: malformed input yields { ok: false, error }. */
  parse(line: string, context?: LineContext): ParseResult;
  /**
   * LogQL pipeline stages that yield common-schema field names at query time from raw lines of
   * this format, e.g. `| json ... | label_format ...`. Must parse with @grafana/lezer-logql.
   */
  logqlStage: string;
}
