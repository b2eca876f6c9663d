/**
 * The parity check every shipper test shares: a shipped record must equal what the suite's own
 * parser (`normalizeLine`) makes of the same (redacted) line, with only the stream labels.
 */
import { normalizeLine } from '../../../src/core/profiles';
import { writerFromLabels } from '../../../src/core/profiles/record';
import { RECORD_FIELDS, STREAM_LABELS } from '../../../src/core/schema';
import { MESH_OF, type FixtureLine } from './fixtures';

export interface Shipped {
  dropped: boolean;
  line?: string;
  labels?: Record<string, string>;
}

/**
 * `redacted` is the line as the shipper's redaction left it (redaction.test.ts tests that part);
 * `context` the stream labels the parser may use to fill the proxy's own workload and namespace.
 */
export function expectParity(f: FixtureLine, out: Shipped, redacted: string, context: Record<string, string>): void {
  expect(out.dropped).toBe(false);
  const shipped = JSON.parse(out.line!);
  const expected = normalizeLine(redacted, { format: f.format, context: { labels: context } });
  const labels = out.labels!;
  expect(Object.keys(labels).every((l) => (STREAM_LABELS as readonly string[]).includes(l))).toBe(true);
  expect(labels.mesh).toBe(MESH_OF[f.format]);
  expect(labels.log_type).toBe('access');
  if (!expected.ok) {
    expect(shipped).toEqual({ format: f.format, error: expect.any(String), raw: expect.any(String) });
    return;
  }
  expect(Object.keys(shipped)).toEqual([...RECORD_FIELDS]);
  expect(shipped).toEqual(expected.record);
  const r = expected.record;
  const ownNamespace = context.namespace ?? (r.direction === 'inbound' ? r.dst_namespace : r.direction === 'outbound' ? r.src_namespace : null);
  expect(labels.namespace).toBe(ownNamespace ?? undefined);
  if ('service_name' in context || 'pod' in context) {
    // The stream names its writer as the parser understood it.
    expect(labels.service_name).toBe(writerFromLabels(context).workload ?? undefined);
  }
}
