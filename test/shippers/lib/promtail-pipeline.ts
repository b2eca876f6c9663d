/**
 * Runs a Promtail `pipeline_stages` list (the YAML shape; Alloy `stage.*` blocks are converted to
 * it by ./alloy-stages) on one log entry, with the semantics of Promtail's stage code
 * (grafana/loki clients/pkg/logentry/stages): labels seed the extracted map, regex and json
 * stages fill it, template and replace use Go templates, output rewrites the line, match runs a
 * nested pipeline on entries whose labels and line fit its selector.
 * Only the stages our configs use are modelled; an unknown stage throws.
 */
import { executeTemplate, TemplateError } from './go-template';
import { TemplateFunctionError } from './template-functions';
import { findAllSubmatchIndex, findNamed, compileGo, matchesGo } from './re2';
import { searchJmesPath } from './jmespath-subset';
import { parseSelector, selectorMatches } from './match-selector';

export type Stage = Record<string, unknown>;

export interface Entry {
  line: string;
  labels: Record<string, string>;
  extracted: Record<string, unknown>;
  timestamp?: string;
  tenant?: string;
  structuredMetadata: Record<string, string>;
  dropped: boolean;
}

export class PipelineConfigError extends Error {}

/** Promtail's getString: numbers, strings and bools convert; null and objects do not. */
export function getString(v: unknown): string | undefined {
  if (typeof v === 'string') {
    return v;
  }
  if (typeof v === 'number') {
    return Number.isInteger(v) && Math.abs(v) < 1e21 ? BigInt(v).toString() : String(v);
  }
  if (typeof v === 'boolean') {
    return v ? 'true' : 'false';
  }
  return undefined;
}

function templateData(extracted: Record<string, unknown>): Record<string, string> {
  const td: Record<string, string> = {};
  for (const [k, v] of Object.entries(extracted)) {
    const s = getString(v);
    if (s !== undefined) {
      td[k] = s;
    }
  }
  return td;
}

function input(entry: Entry, source: unknown): string | undefined {
  if (source === undefined) {
    return entry.line;
  }
  return Object.prototype.hasOwnProperty.call(entry.extracted, source as string)
    ? getString(entry.extracted[source as string])
    : undefined;
}

function cfg(stage: unknown, name: string): Record<string, unknown> {
  if (stage === null || typeof stage !== 'object') {
    throw new PipelineConfigError(`${name} stage config must be an object`);
  }
  return stage as Record<string, unknown>;
}

function runRegex(c: Record<string, unknown>, entry: Entry): void {
  compileGo(String(c.expression));
  const text = input(entry, c.source);
  if (text === undefined) {
    return;
  }
  const named = findNamed(String(c.expression), text);
  if (named) {
    Object.assign(entry.extracted, named);
  }
}

function runJson(c: Record<string, unknown>, entry: Entry): void {
  const text = input(entry, c.source);
  if (text === undefined) {
    return;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    if (c.drop_malformed === true) {
      entry.dropped = true;
    }
    return;
  }
  for (const [name, expr] of Object.entries(cfg(c.expressions, 'json.expressions'))) {
    const r = searchJmesPath(expr ? String(expr) : name, data);
    entry.extracted[name] = r !== null && typeof r === 'object' ? JSON.stringify(r) : r;
  }
}

function runTemplate(c: Record<string, unknown>, entry: Entry): void {
  const source = String(c.source);
  const td = templateData(entry.extracted);
  if (source in td) {
    td.Value = td[source];
  }
  td.Entry = entry.line;
  let out: string;
  try {
    out = executeTemplate(String(c.template ?? ''), td);
  } catch (e) {
    if (e instanceof TemplateFunctionError) {
      return; // Go: Execute error -> the stage leaves the map alone
    }
    throw e;
  }
  if (out === '') {
    delete entry.extracted[source];
  } else {
    entry.extracted[source] = out;
  }
}

function runReplace(c: Record<string, unknown>, entry: Entry): void {
  const text = input(entry, c.source);
  if (text === undefined) {
    return;
  }
  const all = findAllSubmatchIndex(String(c.expression), text);
  if (all.length === 0) {
    return;
  }
  const td = templateData(entry.extracted);
  let result = '';
  let prevEnd = 0;
  for (const idx of all) {
    for (let i = 2; i < idx.length; i += 2) {
      if (idx[i] === -1) {
        continue;
      }
      td.Value = text.slice(idx[i], idx[i + 1]);
      const st = executeTemplate(String(c.replace ?? ''), td);
      if (prevEnd === 0 || prevEnd < idx[i]) {
        result += text.slice(prevEnd, idx[i]) + st;
        prevEnd = idx[i + 1];
      }
    }
  }
  result += text.slice(prevEnd);
  if (c.source !== undefined) {
    entry.extracted[String(c.source)] = result;
  } else {
    entry.line = result;
  }
}

const CRI = '^(?s)(?P<time>\\S+?) (?P<stream>stdout|stderr) (?P<flags>\\S+?) (?P<content>.*)$';

function runStage(stage: Stage, entry: Entry): void {
  const keys = Object.keys(stage);
  if (keys.length !== 1) {
    throw new PipelineConfigError('pipeline stage must contain only one key');
  }
  const name = keys[0];
  const body = stage[name];
  switch (name) {
    case 'regex':
      return runRegex(cfg(body, name), entry);
    case 'json':
      return runJson(cfg(body, name), entry);
    case 'template':
      return runTemplate(cfg(body, name), entry);
    case 'replace':
      return runReplace(cfg(body, name), entry);
    case 'cri': {
      const m = findNamed(CRI, entry.line);
      if (m) {
        Object.assign(entry.extracted, m);
        entry.labels.stream = m.stream;
        entry.timestamp = m.time;
        entry.line = m.content;
      }
      return;
    }
    case 'labels':
      for (const [label, src] of Object.entries(cfg(body, name))) {
        const from = src === null || src === undefined || src === '' ? label : String(src);
        if (Object.prototype.hasOwnProperty.call(entry.extracted, from)) {
          const s = getString(entry.extracted[from]);
          if (s !== undefined) {
            entry.labels[label] = s;
          }
        }
      }
      return;
    case 'static_labels':
      for (const [label, value] of Object.entries(cfg(body, name))) {
        entry.labels[label] = String(value);
      }
      return;
    case 'labeldrop':
      for (const label of body as string[]) {
        delete entry.labels[label];
      }
      return;
    case 'labelallow': {
      const keep = new Set(body as string[]);
      for (const label of Object.keys(entry.labels)) {
        if (!keep.has(label)) {
          delete entry.labels[label];
        }
      }
      return;
    }
    case 'output': {
      const s = input(entry, cfg(body, name).source);
      if (s !== undefined && cfg(body, name).source !== undefined) {
        entry.line = s;
      }
      return;
    }
    case 'timestamp': {
      const s = input(entry, cfg(body, name).source);
      if (s !== undefined && !Number.isNaN(Date.parse(s))) {
        entry.timestamp = s;
      }
      return;
    }
    case 'tenant': {
      const c = cfg(body, name);
      entry.tenant = c.value !== undefined ? String(c.value) : input(entry, c.source);
      return;
    }
    case 'drop': {
      const c = cfg(body, name);
      const text = input(entry, c.source);
      if (text !== undefined && c.expression !== undefined && matchesGo(String(c.expression), text)) {
        entry.dropped = true;
      }
      return;
    }
    case 'structured_metadata':
      for (const [key, src] of Object.entries(cfg(body, name))) {
        const s = input(entry, src ? String(src) : key);
        if (s !== undefined) {
          entry.structuredMetadata[key] = s;
        }
      }
      return;
    case 'match': {
      const c = cfg(body, name);
      const selector = parseSelector(String(c.selector));
      if (!selectorMatches(selector, entry.labels, entry.line)) {
        return;
      }
      if (c.action === 'drop') {
        entry.dropped = true;
        return;
      }
      runPipeline(c.stages as Stage[], entry);
      return;
    }
    default:
      throw new PipelineConfigError(`stage "${name}" is not modelled by the test evaluator`);
  }
}

/** Runs stages in order, like Pipeline.Run: labels are copied into the extracted map first. */
export function runPipeline(stages: Stage[], entry: Entry): Entry {
  if (!Array.isArray(stages) || stages.length === 0) {
    throw new PipelineConfigError('a pipeline needs a non-empty list of stages');
  }
  for (const [k, v] of Object.entries(entry.labels)) {
    entry.extracted[k] = v;
  }
  for (const stage of stages) {
    if (entry.dropped) {
      break;
    }
    runStage(stage, entry);
  }
  return entry;
}

export function newEntry(line: string, labels: Record<string, string>): Entry {
  return { line, labels: { ...labels }, extracted: {}, structuredMetadata: {}, dropped: false };
}

export { TemplateError };
