/**
 * Parses the metadata endpoints: labels and label values (`data` = string[]), series
 * (`data` = label maps), index/stats and detected_fields (bare objects, no envelope).
 * Loki omits an empty `data` list, so a missing `data` is an empty answer here.
 */
import type { DetectedField, DetectedFields, IndexStats, LabelSet } from '../types';
import { BodyReader } from './body';
import { readEnvelope } from './parseQueryResponse';

/** /labels and /label/<name>/values. */
export function parseLabelsResponse(body: string, status = 200): string[] {
  const reader = new BodyReader(body, status, 'a labels response');
  const { data } = readEnvelope(reader);
  return data === undefined || data === null ? [] : reader.strings(data, 'data');
}

/** /series. */
export function parseSeriesResponse(body: string, status = 200): LabelSet[] {
  const reader = new BodyReader(body, status, 'a series response');
  const { data } = readEnvelope(reader);
  if (data === undefined || data === null) {
    return [];
  }
  return reader.array(data, 'data').map((item, i) => reader.labels(item, `data[${i}]`));
}

const INDEX_STATS_FIELDS = ['streams', 'chunks', 'bytes', 'entries'] as const;

/** /index/stats. A field Loki left out is 0 (protobuf JSON omits zeros); an empty object is not stats. */
export function parseIndexStatsResponse(body: string, status = 200): IndexStats {
  const reader = new BodyReader(body, status, 'an index/stats response');
  const root = reader.record(reader.json(), '(body)');
  if (!INDEX_STATS_FIELDS.some((f) => f in root)) {
    reader.fail('(body)', 'has none of streams, chunks, bytes, entries');
  }
  const stats = { streams: 0, chunks: 0, bytes: 0, entries: 0 };
  for (const field of INDEX_STATS_FIELDS) {
    if (root[field] !== undefined) {
      stats[field] = reader.number(root[field], field);
    }
  }
  return stats;
}

/** /detected_fields. */
export function parseDetectedFieldsResponse(body: string, status = 200): DetectedFields {
  const reader = new BodyReader(body, status, 'a detected_fields response');
  const root = reader.record(reader.json(), '(body)');
  const raw = root.fields === undefined || root.fields === null ? [] : reader.array(root.fields, 'fields');
  const fields = raw.map((item, i): DetectedField => {
    const path = `fields[${i}]`;
    const f = reader.record(item, path);
    const field: DetectedField = {
      label: reader.string(f.label, `${path}.label`),
      type: reader.string(f.type, `${path}.type`),
      cardinality: f.cardinality === undefined ? 0 : reader.number(f.cardinality, `${path}.cardinality`),
      parsers: f.parsers === undefined || f.parsers === null ? null : reader.strings(f.parsers, `${path}.parsers`),
    };
    if (f.jsonPath !== undefined && f.jsonPath !== null) {
      field.jsonPath = reader.strings(f.jsonPath, `${path}.jsonPath`);
    }
    return field;
  });
  const result: DetectedFields = { fields };
  if (root.limit !== undefined) {
    result.limit = reader.number(root.limit, 'limit');
  }
  return result;
}

/** /format_query: Loki's canonical text of a valid query (an invalid one is a JSON 400, a parse error). */
export function parseFormatQueryResponse(body: string, status = 200): string {
  const reader = new BodyReader(body, status, 'a format_query response');
  const { data } = readEnvelope(reader);
  return reader.string(data, 'data');
}
