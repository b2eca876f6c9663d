import { createDataFrame, DataFrameType, FieldType, type DataFrame } from '@grafana/data';
import { FRAME, LOG_FIELD as L } from '../../core/frames';
import type { LogStream } from '../../core/loki/types';
import type { AccessRecord } from '../../core/schema';
import type { LineContext, ParseResult } from '../../core/profiles/types';

/** Common-schema fields shown as log labels: enough to filter and read without opening the line. */
export const RECORD_LABELS: ReadonlyArray<keyof AccessRecord> = [
  'mesh',
  'format',
  'direction',
  'src_workload',
  'src_namespace',
  'dst_service',
  'dst_namespace',
  'method',
  'path',
  'status',
  'duration_ms',
  'mtls',
  'mtls_basis',
  'authz',
  'authz_policy',
  'request_id',
  'trace_id',
];

export type Normalize = (line: string, context: LineContext) => ParseResult;

function recordLabels(record: AccessRecord): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const key of RECORD_LABELS) {
    const v = record[key];
    if (v !== null && v !== undefined) {
      labels[key] = String(v);
    }
  }
  if (record.response_flags.length > 0) {
    labels.response_flags = record.response_flags.join(',');
  }
  return labels;
}

/**
 * A logs frame of the lines behind a node, edge or control. Each line is normalised into the
 * common schema and its key fields become labels; a line no profile understands keeps its stream
 * labels plus `parse_error`, so nothing is lost.
 */
export function logsFrame(streams: LogStream[], normalize: Normalize, refId?: string): DataFrame {
  const rows: Array<{ ms: number; ns: string; line: string; labels: Record<string, string>; id: string }> = [];
  streams.forEach((stream, s) => {
    stream.entries.forEach((entry, i) => {
      const context = { labels: { ...stream.labels, ...entry.structuredMetadata, ...entry.parsed } };
      const parsed = normalize(entry.line, context);
      const labels = parsed.ok
        ? { ...context.labels, ...recordLabels(parsed.record) }
        : { ...context.labels, parse_error: parsed.error };
      // Nanosecond strings keep their precision; the ms time is for sorting and display only.
      const ns = entry.timeNs;
      const ms = Number(ns.length > 6 ? ns.slice(0, -6) : '0');
      rows.push({ ms, ns, line: entry.line, labels, id: `${ns}_${s}_${i}` });
    });
  });
  rows.sort((a, b) => (a.ns.length !== b.ns.length ? b.ns.length - a.ns.length : a.ns < b.ns ? 1 : a.ns > b.ns ? -1 : 0));
  return createDataFrame({
    name: FRAME.logs,
    refId,
    fields: [
      { name: L.labels, type: FieldType.other, values: rows.map((r) => r.labels) },
      { name: L.timestamp, type: FieldType.time, values: rows.map((r) => r.ms) },
      { name: L.body, type: FieldType.string, values: rows.map((r) => r.line) },
      { name: L.tsNs, type: FieldType.string, values: rows.map((r) => r.ns) },
      { name: L.id, type: FieldType.string, values: rows.map((r) => r.id) },
    ],
    meta: { type: DataFrameType.LogLines, preferredVisualisationType: 'logs' },
  });
}
