/**
 * A stand-in for the parts of Fluent Bit that provisioning/shippers/fluent-bit/ relies on, each
 * modelled on Fluent Bit 5.1's source: environment expansion of config values
 * (src/flb_env.c flb_env_var_translate), tail's `tag_regex` tags and `path_key`, the `cri`
 * multiline parser (src/multiline/flb_ml_parser_cri.c), the parser filter with `reserve_data`,
 * the Lua filter with `time_as_table` (run in a real Lua: lua5.4 in CI, LuaJIT where installed) and
 * the loki output's label/line split. The real Fluent Bit run is in provisioning/shippers/README.md.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const FB_DIR = join(__dirname, '..', '..', 'provisioning', 'shippers', 'fluent-bit');
export const SCRIPT = join(FB_DIR, 'mesh_audit.lua');
const DRIVER = join(__dirname, 'lua', 'driver.lua');

/** flb_env_var_translate: `${NAME}` and `${NAME:-default}`; an unset name becomes empty. */
export function fluentBitExpand(value: string, env: Record<string, string>): string {
  let out = '';
  let i = 0;
  let haveVar = false;
  let vEnd = -1;
  while (i < value.length) {
    const start = value.indexOf('${', i);
    if (start < 0) {
      break;
    }
    vEnd = value.indexOf('}', i);
    if (vEnd < 0) {
      break;
    }
    const name = value.slice(start + 2, vEnd);
    if (name.length <= 0) {
      break;
    }
    haveVar = true;
    const sep = name.indexOf(':');
    const [key, def] = sep >= 0 && name[sep + 1] === '-' ? [name.slice(0, sep), name.slice(sep + 2)] : [name, undefined];
    out += value.slice(i, start);
    const v = env[key];
    if (v !== undefined && !(def !== undefined && v === '')) {
      out += v;
    } else if (def !== undefined) {
      out += def;
    }
    i = vEnd + 1;
  }
  if (vEnd >= 0 && haveVar) {
    out += value.slice(vEnd + 1);
  }
  if (out === '') {
    return haveVar ? '' : value;
  }
  return out;
}

type Section = Record<string, unknown>;

/** fluent-bit.yaml as Fluent Bit sees it: every scalar value run through the env expansion. */
export function loadConfig(env: Record<string, string>): { service: Section; inputs: Section[]; filters: Section[]; outputs: Section[] } {
  const raw = parse(readFileSync(join(FB_DIR, 'fluent-bit.yaml'), 'utf8'));
  const expand = (s: Section): Section =>
    Object.fromEntries(
      Object.entries(s).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => fluentBitExpand(String(x), env)) : fluentBitExpand(String(v), env)])
    );
  return {
    service: expand(raw.service),
    inputs: raw.pipeline.inputs.map(expand),
    filters: raw.pipeline.filters.map(expand),
    outputs: raw.pipeline.outputs.map(expand),
  };
}

/** `[PARSER]` sections of a classic Fluent Bit parsers file. */
export function readParsers(text: string): Record<string, Record<string, string>> {
  const parsers: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    if (line === '[PARSER]') {
      current = {};
      continue;
    }
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (!current || !m) {
      throw new Error(`unexpected line in parsers.conf: ${line}`);
    }
    current[m[1].toLowerCase()] = m[2];
    if (m[1].toLowerCase() === 'name') {
      parsers[m[2]] = current;
    }
  }
  return parsers;
}

export const PARSERS = readParsers(readFileSync(join(FB_DIR, 'parsers.conf'), 'utf8'));

/** Fluent Bit's tag/match wildcard: `*` is any run of characters. */
export function tagMatches(pattern: string, tag: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(tag);
}

/** A tail input's tag for a file: `<name>` groups of tag_regex (searched in the path), `_` when absent. */
export function tailTag(input: Section, path: string): string {
  const tag = String(input.tag);
  if (input.tag_regex === undefined) {
    return tag.replace('*', path.replace(/^\//, '').replace(/\//g, '.'));
  }
  const m = new RegExp(String(input.tag_regex)).exec(path);
  if (!m) {
    throw new Error(`tag_regex does not match ${path}`);
  }
  return tag.replace(/<([^>]+)>/g, (_s, name: string) => m.groups?.[name] ?? '_');
}

/** Which tail input picks a file up: its glob `path` (a `*` never crosses `/`). */
export function inputFor(inputs: Section[], path: string): Section | undefined {
  return inputs.find((i) => String(i.path).split(',').some((glob) => new RegExp(`^${glob.trim().split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`).test(path)));
}

/** The `cri` multiline parser on one full (`F`) line: time, stream, _p and log; null if not CRI. */
export function criRecord(line: string): Record<string, unknown> | null {
  const m = /^(?<time>.+?) (?<stream>stdout|stderr) (?<_p>F|P) (?<log>.*)$/.exec(line);
  return m ? { ...m.groups } : null;
}

/** The parser filter (reserve_data on): parsed fields replace the key; no match keeps the record. */
export function applyParser(parserName: string, key: string, record: Record<string, unknown>): Record<string, unknown> {
  const value = record[key];
  if (typeof value !== 'string') {
    return record;
  }
  const spec = PARSERS[parserName];
  const { [key]: _drop, ...rest } = record;
  if (spec.format === 'json') {
    try {
      const parsed = JSON.parse(value);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { ...rest, ...parsed } : record;
    } catch {
      return record;
    }
  }
  const m = new RegExp(spec.regex).exec(value);
  if (!m) {
    return record;
  }
  return { ...rest, ...Object.fromEntries(Object.entries(m.groups ?? {}).filter(([, v]) => v !== undefined)) };
}

export interface LuaCall {
  call: string;
  tag: string;
  /** Fluent Bit's time table (time_as_table) or epoch seconds. */
  ts: { sec: number; nsec: number } | number;
  record: Record<string, unknown>;
}

export interface LuaReturn {
  code: number;
  ts: { sec: number; nsec: number } | number;
  record: Record<string, unknown>;
}

export const LUA_INTERPRETERS = ['lua5.4', 'luajit'].filter((lua) => spawnSync(lua, ['-e', 'require("cjson")']).status === 0);

/** Runs filter callbacks by their global name, as Fluent Bit's `call` does, in one interpreter. */
export function runLua(lua: string, calls: LuaCall[]): LuaReturn[] {
  if (calls.length === 0) {
    return [];
  }
  const run = spawnSync(lua, [DRIVER, SCRIPT], {
    input: calls.map((c) => JSON.stringify(c)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(run.stderr || `exited with status ${run.status}, signal ${run.signal}${run.error ? `: ${run.error.message}` : ''}`);
  }
  return run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

export interface ShipInput {
  /** The file's path as the tail input sees it. */
  path: string;
  /** The line as written in the file (CRI-framed in a pod's log). */
  text: string;
}

export interface Shipped {
  dropped: boolean;
  tag: string;
  /** The line after the first Lua filter (redaction), for parity checks. */
  redacted?: string;
  line?: string;
  labels?: Record<string, string>;
  ts?: { sec: number; nsec: number } | number;
}

/** Lines through inputs → filters in order (by tag) → the loki output, one filter at a time for all lines. */
export function shipThroughFluentBit(lua: string, inputs: ShipInput[], env: Record<string, string> = {}): Shipped[] {
  const config = loadConfig(env);
  const items = inputs.map((x) => {
    const input = inputFor(config.inputs, x.path);
    if (!input) {
      throw new Error(`no tail input reads ${x.path}`);
    }
    const tag = tailTag(input, x.path);
    const framed = input['multiline.parser'] === 'cri' ? criRecord(x.text) : null;
    const record: Record<string, unknown> = framed ?? { log: x.text };
    record[String(input.path_key)] = x.path;
    return { tag, record, ts: 0 as LuaCall['ts'], dropped: false, redacted: undefined as string | undefined };
  });
  for (const filter of config.filters) {
    const live = items.filter((it) => !it.dropped && tagMatches(String(filter.match), it.tag));
    if (filter.name === 'parser') {
      const names = Array.isArray(filter.parser) ? filter.parser : [filter.parser];
      for (const it of live) {
        for (const name of names) {
          if (typeof it.record[String(filter.key_name)] === 'string') {
            it.record = applyParser(String(name), String(filter.key_name), it.record);
          }
        }
      }
    } else if (filter.name === 'lua') {
      const timeTable = filter.time_as_table === 'on' || filter.time_as_table === 'true';
      const results = runLua(
        lua,
        live.map((it) => ({ call: String(filter.call), tag: it.tag, ts: timeTable ? { sec: 0, nsec: 0 } : 0, record: it.record }))
      );
      live.forEach((it, i) => {
        const r = results[i];
        if (r.code === -1) {
          it.dropped = true;
        } else if (r.code === 1 || r.code === 2) {
          it.record = r.record;
          if (r.code === 1) {
            it.ts = r.ts;
          }
        }
        if (it.redacted === undefined && typeof it.record.log === 'string') {
          it.redacted = it.record.log;
        }
      });
    } else {
      throw new Error(`the stand-in does not model filter ${String(filter.name)}`);
    }
  }
  const [out] = config.outputs;
  const removed = String(out.remove_keys).split(',').map((k) => k.trim());
  const labelSpec = String(out.labels).split(',').map((l) => l.trim().split('='));
  return items.map((it) => {
    if (it.dropped) {
      return { dropped: true, tag: it.tag };
    }
    // A record accessor on a missing key gives no label.
    const labels = Object.fromEntries(
      labelSpec.flatMap(([name, value]) => {
        const v = value.startsWith('$') ? it.record[value.slice(1)] : value;
        return v === undefined || v === null ? [] : [[name, String(v)]];
      })
    );
    const rest = Object.keys(it.record).filter((k) => !removed.includes(k));
    if (out.drop_single_key !== 'raw' || rest.length !== 1) {
      throw new Error(`more than the line is left for the loki output: ${rest.join(', ')}`);
    }
    return { dropped: false, tag: it.tag, redacted: it.redacted, line: String(it.record[rest[0]]), labels, ts: it.ts };
  });
}
