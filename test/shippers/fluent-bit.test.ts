/** @jest-environment node */
/**
 * The Fluent Bit config: YAML and parsers parse; the parser regexes are the (real-Promtail-tested)
 * Promtail regexes in Onigmo spelling; and the whole filter chain (Lua redaction → parser → Lua
 * normalisation → loki output's label/line split) runs on real lines with a Lua 5.4 interpreter,
 * every record checked against normalizeLine. Fluent Bit itself is not installable here (not in
 * Debian); its own `--dry-run` check is therefore not part of these tests.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { fixtureLines, MESH_OF, PIPELINE_FORMATS, type FixtureLine } from './lib/fixtures';
import { expectParity } from './lib/parity';
import { job, loadPromtail } from './lib/promtail-config';
import { REDACTION_CASES } from './lib/redaction-cases';
import { damaged } from './lib/damage';
import { normalizeLine } from '../../src/core/profiles';

const DIR = join(__dirname, '..', '..', 'provisioning', 'shippers', 'fluent-bit');
const config = parse(readFileSync(join(DIR, 'fluent-bit.yaml'), 'utf8'));
const SCRIPT = join(DIR, 'mesh_audit.lua');

/** `[PARSER]` sections of a classic Fluent Bit parsers file. */
function readParsers(text: string): Record<string, Record<string, string>> {
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

const parsers = readParsers(readFileSync(join(DIR, 'parsers.conf'), 'utf8'));
const filters: Array<Record<string, string>> = config.pipeline.filters;
const parserOf = (format: string) => filters.find((f) => f.name === 'parser' && f.match === `mesh.${format}`)!.parser;

describe('fluent-bit.yaml', () => {
  it('tails one file per format, redacts before parsing, normalises after', () => {
    expect(config.pipeline.inputs.map((i: Record<string, string>) => i.tag)).toEqual(PIPELINE_FORMATS.map((f) => `mesh.${f}`));
    expect(filters.map((f) => f.name)).toEqual(['lua', ...PIPELINE_FORMATS.map(() => 'parser'), 'lua']);
    expect(filters[0].call).toBe('mesh_audit_redact');
    expect(filters[filters.length - 1].call).toBe('mesh_audit_normalize');
    for (const f of filters.filter((x) => x.name === 'parser')) {
      expect(parsers[f.parser]).toBeDefined();
    }
  });

  it('sends to Loki over TLS with the tenant, the five labels only, and credentials from the environment', () => {
    const [out] = config.pipeline.outputs;
    expect(out).toMatchObject({ name: 'loki', uri: '/loki/api/v1/push', tenant_id: '${LOKI_TENANT}', tls: 'on', 'tls.verify': 'on', drop_single_key: 'raw' });
    expect(out['tls.ca_file']).toMatch(/^\//);
    expect(out.http_passwd).toBe('${LOKI_PASSWORD}');
    expect(out.labels.split(',').map((l: string) => l.trim().split('=')[0])).toEqual(['platform', 'cluster', 'mesh', 'namespace', 'log_type']);
  });

  it('uses the Promtail regexes, spelled for Onigmo', () => {
    const promtail = job(loadPromtail('promtail.yaml'), 'mesh-access-files').pipeline_stages;
    for (const format of ['istio-text', 'envoy-text', 'linkerd-apache', 'kuma-http', 'kuma-tcp']) {
      const block = promtail.find((s) => 'match' in s && (s.match as { selector: string }).selector === `{format="${format}"}`)!;
      const regex = ((block.match as { stages: Array<Record<string, { expression: string }>> }).stages.find((s) => 'regex' in s)!.regex.expression);
      expect(parsers[parserOf(format)].regex).toBe(regex.replace(/\(\?P</g, '(?<'));
    }
  });
});

const lua = spawnSync('lua5.4', ['-e', 'require("cjson")']);
const haveLua = lua.status === 0;

interface LuaResult {
  code: number;
  record: Record<string, string>;
}

function runLua(requests: Array<{ fn: 'redact' | 'normalize'; tag: string; record: Record<string, unknown> }>): LuaResult[] {
  const run = spawnSync('lua5.4', [join(__dirname, 'lua', 'driver.lua'), SCRIPT], {
    input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(run.stderr || `exited with status ${run.status}, signal ${run.signal}${run.error ? `: ${run.error.message}` : ""}`);
  }
  return run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

/** Fluent Bit's parser filter with reserve_data: parsed fields replace `log`; no match keeps it. */
function applyParser(format: string, record: Record<string, unknown>): Record<string, unknown> {
  const log = String(record.log);
  const spec = parsers[parserOf(format)];
  const { log: _log, ...rest } = record;
  if (spec.format === 'json') {
    try {
      const parsed = JSON.parse(log);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { ...rest, ...parsed } : record;
    } catch {
      return record;
    }
  }
  const m = new RegExp(spec.regex).exec(log);
  if (!m) {
    return record;
  }
  const groups = Object.fromEntries(Object.entries(m.groups ?? {}).filter(([, v]) => v !== undefined));
  return { ...rest, ...groups };
}

function ship(lines: Array<{ format: string; line: string; cluster: string }>): Array<{ redacted: string; line: string; labels: Record<string, string> }> {
  const redacted = runLua(lines.map((l) => ({ fn: 'redact', tag: `mesh.${l.format}`, record: { log: l.line } })));
  const normalised = runLua(
    lines.map((l, i) => ({
      fn: 'normalize',
      tag: `mesh.${l.format}`,
      record: applyParser(l.format, { log: redacted[i].record.log, filename: `/var/log/mesh/${l.cluster}/${MESH_OF[l.format as FixtureLine['format']]}/${l.format}.log` }),
    }))
  );
  return normalised.map((n, i) => {
    // The loki output: the five label keys become labels (absent ones are left out), `line` the line.
    const { line, ...labels } = n.record;
    return { redacted: redacted[i].record.log, line, labels };
  });
}

(haveLua ? describe : describe.skip)(`mesh_audit.lua through Lua 5.4${haveLua ? '' : ' (skipped: lua5.4 with lua-cjson is not installed)'}`, () => {
  const lines = fixtureLines().filter((f) => PIPELINE_FORMATS.includes(f.format));

  it('ships every fixture line as what normalizeLine parses, with only the five labels', () => {
    const shipped = ship(lines.map((f) => ({ format: f.format, line: f.line, cluster: 'prod-eu' })));
    lines.forEach((f, i) => {
      expectParity(f, { dropped: false, line: shipped[i].line, labels: shipped[i].labels }, shipped[i].redacted, {});
      expect(shipped[i].labels).toMatchObject({ cluster: 'prod-eu', platform: 'kubernetes' });
    });
  });

  it('turns a line its parser rejects into an error record with the redacted raw line', () => {
    const [out] = ship([{ format: 'istio-text', line: '[2024-06-02T13:24:57.930Z] "GET /?token=abc HTTP/1.1" truncated', cluster: 'vm-fleet' }]);
    expect(JSON.parse(out.line)).toEqual({ format: 'istio-text', error: 'line does not fit the istio-text layout', raw: '[2024-06-02T13:24:57.930Z] "GET /?token=REDACTED HTTP/1.1" truncated' });
    expect(out.labels).toEqual({ platform: 'vm', cluster: 'vm-fleet', mesh: 'istio', log_type: 'access' });
  });

  it.each(REDACTION_CASES.map((c) => [c.name, c] as const))('redacts %s exactly like the Promtail stages', (_name, c) => {
    const [out] = runLua([{ fn: 'redact', tag: 'mesh.istio-text', record: { log: c.line } }]);
    expect(out.record.log).toBe(c.redacted);
  });

  it('leaves fixture lines without secrets unchanged', () => {
    const all = fixtureLines();
    const out = runLua(all.map((f) => ({ fn: 'redact', tag: `mesh.${f.format}`, record: { log: f.line } })));
    all.forEach((f, i) => {
      const expected = f.file === 'envoy-text.log' && f.index === 0 ? f.line.replace('api_key=FyzFCUcvrJXvG', 'api_key=REDACTED') : f.line;
      expect(out[i].record.log).toBe(expected);
    });
  });
});

(haveLua ? describe : describe.skip)('mesh_audit.lua on damaged lines', () => {
  it.each(PIPELINE_FORMATS)('%s: every result is an error record or what normalizeLine parses', (format) => {
    const inputs = fixtureLines()
      .filter((f) => f.format === format)
      .flatMap((f) => damaged(f.line, 12));
    const shipped = ship(inputs.map((line) => ({ format, line, cluster: 'prod-eu' })));
    const wrong: string[] = [];
    shipped.forEach((s, i) => {
      const record = JSON.parse(s.line);
      if ('error' in record) {
        return;
      }
      const expected = normalizeLine(s.redacted, { format });
      if (!expected.ok || JSON.stringify(record) !== JSON.stringify(expected.record)) {
        wrong.push(`${expected.ok ? 'differs' : `parser rejects (${expected.error})`}: ${inputs[i]}`);
      }
    });
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
