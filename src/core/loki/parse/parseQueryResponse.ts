/**
 * Parses the body of /loki/api/v1/query_range and /query (and the Prometheus-style volume
 * endpoints): streams (2- and 3-tuples, categorized labels), matrix, vector, scalar, top-level
 * warnings, a warnings-only body without `data`, and `stats.summary`. Stream timestamps stay exact
 * nanosecond strings; sample times become epoch ms, sample values numbers (NaN/±Inf kept).
 */
import type { LogEntry, LogStream, MatrixSeries, QueryResponse, QueryStatsSummary, VectorSample } from '../types';
import { BodyReader, JsonRecord, describe } from './body';
import { parseSampleValue, secondsToMs } from './sampleValue';

const NS_TIMESTAMP = /^\d+$/;
const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** The `{status, data, warnings}` envelope: `data` may be absent when only warnings came back. */
export function readEnvelope(reader: BodyReader): { data: unknown; warnings: string[] } {
  const root = reader.record(reader.json(), '(body)');
  if (root.status !== undefined && root.status !== 'success') {
    const said = typeof root.error === 'string' ? `: ${root.error}` : '';
    reader.fail('status', `is ${describe(root.status)} instead of "success"${said}`);
  }
  const warnings =
    root.warnings === undefined || root.warnings === null ? [] : reader.strings(root.warnings, 'warnings');
  return { data: root.data, warnings };
}

export function parseQueryResponse(body: string, status = 200): QueryResponse {
  const reader = new BodyReader(body, status, 'a query response');
  const { data, warnings } = readEnvelope(reader);
  if (data === undefined || data === null) {
    if (warnings.length === 0) {
      reader.fail('data', 'is missing and there are no warnings to explain why');
    }
    return { resultType: 'empty', result: [], warnings };
  }
  const d = reader.record(data, 'data');
  const stats = readSummary(d.stats);
  const flags =
    d.encodingFlags === undefined || d.encodingFlags === null
      ? undefined
      : reader.strings(d.encodingFlags, 'data.encodingFlags');
  const withStats = { ...(stats ? { stats } : {}), ...(flags ? { encodingFlags: flags } : {}) };
  switch (d.resultType) {
    case 'streams':
      return { resultType: 'streams', result: readStreams(reader, d.result), warnings, ...withStats };
    case 'matrix':
      return { resultType: 'matrix', result: readMatrix(reader, d.result), warnings, ...withStats };
    case 'vector':
      return { resultType: 'vector', result: readVector(reader, d.result), warnings, ...withStats };
    case 'scalar': {
      const [timeMs, value] = readSample(reader, d.result, 'data.result');
      return { resultType: 'scalar', result: { timeMs, value }, warnings, ...withStats };
    }
    default:
      return reader.fail(
        'data.resultType',
        `is ${describe(d.resultType)}; expected "streams", "matrix", "vector" or "scalar"`
      );
  }
}

function readStreams(reader: BodyReader, value: unknown): LogStream[] {
  const items = reader.array(value, 'data.result');
  const streams: LogStream[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const path = `data.result[${i}]`;
    const item = reader.record(items[i], path);
    const labels = reader.labels(item.stream, `${path}.stream`);
    const values = reader.array(item.values, `${path}.values`);
    const entries: LogEntry[] = new Array(values.length);
    for (let j = 0; j < values.length; j++) {
      entries[j] = readEntry(reader, values[j], `${path}.values[${j}]`);
    }
    streams[i] = { labels, entries };
  }
  return streams;
}

function readEntry(reader: BodyReader, value: unknown, path: string): LogEntry {
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 3)) {
    return reader.fail(
      path,
      `should be a [timestamp, line] or [timestamp, line, labels] tuple but is ${describe(value)}`
    );
  }
  const timeNs = value[0];
  if (typeof timeNs !== 'string' || !NS_TIMESTAMP.test(timeNs)) {
    reader.fail(`${path}[0]`, `should be a nanosecond timestamp string but is ${describe(timeNs)}`);
  }
  const line = reader.string(value[1], `${path}[1]`);
  if (value.length === 2) {
    return { timeNs, line, structuredMetadata: NO_LABELS, parsed: NO_LABELS };
  }
  const categories: JsonRecord = reader.record(value[2], `${path}[2]`);
  const sm = categories.structuredMetadata;
  const parsed = categories.parsed;
  return {
    timeNs,
    line,
    structuredMetadata:
      sm === undefined || sm === null ? NO_LABELS : reader.labels(sm, `${path}[2].structuredMetadata`),
    parsed: parsed === undefined || parsed === null ? NO_LABELS : reader.labels(parsed, `${path}[2].parsed`),
  };
}

function readMatrix(reader: BodyReader, value: unknown): MatrixSeries[] {
  const items = reader.array(value, 'data.result');
  const series: MatrixSeries[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const path = `data.result[${i}]`;
    const item = reader.record(items[i], path);
    const metric = reader.labels(item.metric, `${path}.metric`);
    const raw = reader.array(item.values, `${path}.values`);
    // Converted in place: the arrays are this parse's own, and not allocating 600k fresh pairs
    // is most of the cost above JSON.parse on large matrices (bench/loki-matrix.bench.ts).
    for (let j = 0; j < raw.length; j++) {
      convertSample(reader, raw[j], raw, j, path);
    }
    series[i] = { metric, values: raw as Array<[number, number]> };
  }
  return series;
}

function readVector(reader: BodyReader, value: unknown): VectorSample[] {
  const items = reader.array(value, 'data.result');
  const samples: VectorSample[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const path = `data.result[${i}]`;
    const item = reader.record(items[i], path);
    const metric = reader.labels(item.metric, `${path}.metric`);
    const [timeMs, sample] = readSample(reader, item.value, `${path}.value`);
    samples[i] = { metric, timeMs, value: sample };
  }
  return samples;
}

/** `values[j]`, a `[seconds, "value"]` pair, rewritten as `[ms, value]`; the path is built only on failure. */
function convertSample(reader: BodyReader, pair: unknown, values: unknown[], j: number, path: string): void {
  if (Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'number' && typeof pair[1] === 'string') {
    const value = parseSampleValue(pair[1]);
    if (value !== undefined && Number.isFinite(pair[0])) {
      pair[0] = secondsToMs(pair[0]);
      pair[1] = value;
      return;
    }
  }
  values[j] = readSample(reader, pair, `${path}.values[${j}]`);
}

/** `[seconds, "value"]` -> `[ms, value]`. */
function readSample(reader: BodyReader, pair: unknown, path: string): [number, number] {
  if (!Array.isArray(pair) || pair.length !== 2) {
    return reader.fail(path, `should be a [time, "value"] pair but is ${describe(pair)}`);
  }
  const seconds = pair[0];
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    reader.fail(`${path}[0]`, `should be a time in seconds but is ${describe(seconds)}`);
  }
  const text = pair[1];
  const value = typeof text === 'string' ? parseSampleValue(text) : undefined;
  if (value === undefined) {
    reader.fail(
      `${path}[1]`,
      `should be a sample value string (a number, "NaN", "+Inf" or "-Inf") but is ${describe(text)}`
    );
  }
  return [secondsToMs(seconds), value];
}

const SUMMARY_FIELDS: Array<keyof QueryStatsSummary> = [
  'bytesProcessedPerSecond',
  'linesProcessedPerSecond',
  'totalBytesProcessed',
  'totalLinesProcessed',
  'execTime',
  'queueTime',
  'subqueries',
  'totalEntriesReturned',
  'splits',
  'shards',
  'totalPostFilterLines',
  'totalStructuredMetadataBytesProcessed',
];

/** Only `stats.summary` is read; the rest changes shape between Loki versions. */
function readSummary(stats: unknown): QueryStatsSummary | undefined {
  if (!stats || typeof stats !== 'object') {
    return undefined;
  }
  const summary = (stats as JsonRecord).summary;
  if (!summary || typeof summary !== 'object') {
    return undefined;
  }
  const out: QueryStatsSummary = {};
  for (const field of SUMMARY_FIELDS) {
    const v = (summary as JsonRecord)[field];
    if (typeof v === 'number' && Number.isFinite(v)) {
      out[field] = v;
    }
  }
  return out;
}
