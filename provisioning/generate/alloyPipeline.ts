/**
 * The Alloy form of the shared Promtail pipeline: each Promtail stage of promtail.k8s.yaml's pod
 * job becomes the `stage.*` block Alloy's loki.process documents for it, comments carried over.
 * kubernetes.alloy holds the result between its shared-pipeline markers, so Promtail and Alloy run
 * one pipeline written once. Only the stages and attributes the pipeline uses are accepted.
 */
import { isMap, isSeq, parseDocument, type Node as YamlNode, type YAMLSeq } from 'yaml';

type Stage = Record<string, unknown>;

const BLOCK: Record<string, string> = {
  match: 'stage.match',
  cri: 'stage.cri',
  replace: 'stage.replace',
  regex: 'stage.regex',
  json: 'stage.json',
  template: 'stage.template',
  labels: 'stage.labels',
  static_labels: 'stage.static_labels',
  labelallow: 'stage.label_keep',
  output: 'stage.output',
  timestamp: 'stage.timestamp',
};

const ATTRIBUTES: Record<string, string[]> = {
  match: ['selector', 'action', 'drop_counter_reason'],
  cri: [],
  replace: ['source', 'expression', 'replace'],
  regex: ['source', 'expression'],
  json: ['source', 'expressions'],
  template: ['source', 'template'],
  output: ['source'],
  timestamp: ['source', 'format', 'action_on_failure'],
};

/**
 * Plain words as a quoted string; anything with quotes or backslashes (regexes, templates,
 * selectors) as a raw string, which Alloy takes verbatim; a backtick forces Go escapes.
 */
function alloyString(value: string): string {
  if (/^[A-Za-z0-9_.:/ -]*$/.test(value) || value.includes('`')) {
    return JSON.stringify(value);
  }
  return `\`${value}\``;
}

function scalar(value: unknown, where: string): string {
  if (value === null || value === undefined) {
    return '""';
  }
  if (typeof value === 'string') {
    return alloyString(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw new Error(`${where}: not a scalar: ${JSON.stringify(value)}`);
}

function commentLines(text: string | null | undefined, indent: string): string[] {
  return text ? text.split('\n').map((l) => `${indent}//${l === '' ? '' : l.startsWith(' ') ? l : ` ${l}`}`) : [];
}

/** Comments inside a stage's YAML body (before its first key or between keys), kept in the block. */
function bodyComments(node: YamlNode | undefined): string[] {
  const body = isMap(node) ? (node.items[0]?.value as YamlNode | undefined) : undefined;
  if (!isMap(body)) {
    return [];
  }
  const keyComments = body.items.map((p) => (p.key as YamlNode | undefined)?.commentBefore).filter((c): c is string => Boolean(c));
  return [body.commentBefore, ...keyComments].filter((c): c is string => Boolean(c));
}

function attributeLines(entries: Array<[string, string]>, indent: string): string[] {
  const width = Math.max(0, ...entries.filter(([, v]) => !v.includes('\n')).map(([k]) => k.length));
  return entries.map(([k, v]) => `${indent}${k.padEnd(v.includes('\n') ? k.length : width)} = ${v}`);
}

function objectLines(name: string, obj: Record<string, unknown>, indent: string, where: string): string[] {
  const inner = `${indent}  `;
  return [`${indent}${name} = {`, ...Object.entries(obj).map(([k, v]) => `${inner}${k} = ${scalar(v, where)},`), `${indent}}`];
}

function stageLines(stage: Stage, node: YamlNode | undefined, indent: string, lead?: string | null): string[] {
  const keys = Object.keys(stage);
  if (keys.length !== 1 || !BLOCK[keys[0]]) {
    throw new Error(`stage ${JSON.stringify(keys)} has no Alloy form here`);
  }
  const kind = keys[0];
  const body = (stage[kind] ?? {}) as Record<string, unknown>;
  const inner = `${indent}  `;
  const out = [...commentLines(lead, indent), ...commentLines(node?.commentBefore, indent), `${indent}${BLOCK[kind]} {`];
  for (const c of bodyComments(node)) {
    out.push(...commentLines(c, inner));
  }
  if (kind === 'labels' || kind === 'static_labels') {
    out.push(...objectLines('values', body, inner, kind));
  } else if (kind === 'labelallow') {
    out.push(`${inner}values = [${(body as unknown as string[]).map((v) => JSON.stringify(v)).join(', ')}]`);
  } else {
    const unknown = Object.keys(body).filter((k) => !ATTRIBUTES[kind].includes(k) && !(kind === 'match' && k === 'stages'));
    if (unknown.length > 0) {
      throw new Error(`${kind} stage: attributes ${unknown.join(', ')} have no Alloy form here`);
    }
    const plain = ATTRIBUTES[kind].filter((k) => k in body && k !== 'expressions');
    const entries: Array<[string, string]> = plain.map((k) => [k, scalar(body[k], kind)]);
    if (kind === 'timestamp') {
      // Alloy >= 1.17 moves a line that repeats its stream's previous timestamp 1 ns later by
      // default ("fudge"); evidence keeps the request's own time, as Promtail does.
      entries.push(['action_on_duplicate_timestamp', '"keep"']);
    }
    out.push(...attributeLines(entries, inner));
    if (kind === 'json') {
      out.push(...objectLines('expressions', body.expressions as Record<string, unknown>, inner, kind));
    }
    if (kind === 'match' && body.stages) {
      const nested = stageNodes(node, ['match', 'stages']);
      (body.stages as Stage[]).forEach((s, i) => out.push('', ...stageLines(s, nested?.items[i] as YamlNode | undefined, inner, i === 0 ? nested?.commentBefore : null)));
    }
  }
  if (out[out.length - 1] === `${indent}${BLOCK[kind]} {`) {
    out[out.length - 1] += '}';
  } else {
    out.push(`${indent}}`);
  }
  return out;
}

function stageNodes(node: YamlNode | undefined, path: string[]): YAMLSeq | undefined {
  let at: unknown = node;
  for (const key of path) {
    at = isMap(at) ? at.get(key, true) : undefined;
  }
  return isSeq(at) ? at : undefined;
}

/** The `stage.*` blocks of a Promtail job's pipeline_stages, indented for a loki.process body. */
export function alloyStagesFromPromtail(promtailYaml: string, jobName: string, indent = '  '): string {
  const doc = parseDocument(promtailYaml);
  const jobs = doc.get('scrape_configs', true);
  if (!isSeq(jobs)) {
    throw new Error('no scrape_configs');
  }
  const jobNode = jobs.items.find((j) => isMap(j) && j.get('job_name') === jobName);
  if (!isMap(jobNode)) {
    throw new Error(`no scrape job ${jobName}`);
  }
  const seq = jobNode.get('pipeline_stages', true);
  if (!isSeq(seq)) {
    throw new Error(`${jobName} has no pipeline_stages`);
  }
  const stages = (doc.toJS({ maxAliasCount: -1 }) as { scrape_configs: Array<{ job_name: string; pipeline_stages: Stage[] }> }).scrape_configs.find(
    (j) => j.job_name === jobName
  )!.pipeline_stages;
  const blocks = stages.map((s, i) => stageLines(s, seq.items[i] as YamlNode, indent, i === 0 ? seq.commentBefore : null).join('\n'));
  const trailing = commentLines(seq.comment, indent).join('\n');
  return blocks.join('\n\n') + '\n' + (trailing ? `\n${trailing}\n` : '');
}
