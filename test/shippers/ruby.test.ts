/** @jest-environment node */
/**
 * Fluentd and Logstash: their parser regexes are the (real-Promtail-tested) Promtail regexes in
 * Onigmo spelling; and the shared Ruby code (redaction + common-schema records) with the Fluentd
 * filter plugin and the Logstash filter script runs on real lines in Ruby (Debian's ruby), every
 * record checked against normalizeLine. Fluentd and Logstash themselves are not installable here
 * (not in Debian, no rubygems access): their framework classes are minimal stand-ins in the driver.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureLines, MESH_OF, PIPELINE_FORMATS } from './lib/fixtures';
import { expectParity } from './lib/parity';
import { job, loadPromtail } from './lib/promtail-config';
import { REDACTION_CASES } from './lib/redaction-cases';
import { damaged } from './lib/damage';
import { normalizeLine } from '../../src/core/profiles';

const SHIPPERS = join(__dirname, '..', '..', 'provisioning', 'shippers');
const fluentd = readFileSync(join(SHIPPERS, 'fluentd', 'fluentd.conf'), 'utf8');
const logstash = readFileSync(join(SHIPPERS, 'logstash', 'logstash.conf'), 'utf8');

const promtailStages = job(loadPromtail('promtail.yaml'), 'mesh-access-files').pipeline_stages;
function promtailRegex(format: string): string | undefined {
  const block = promtailStages.find((s) => 'match' in s && (s.match as { selector: string }).selector === `{format="${format}"}`);
  const stages = (block?.match as { stages?: Array<Record<string, { expression: string }>> } | undefined)?.stages ?? [];
  return stages.find((s) => 'regex' in s)?.regex.expression;
}

/** The regexp of `<filter mesh.<format>>` in fluentd.conf, or null for a json parser. */
function fluentdRegex(format: string): string | null {
  const block = new RegExp(`<filter mesh\\.${format}>([\\s\\S]*?)</filter>`).exec(fluentd)![1];
  const expr = /expression \/(.*)\/\n/.exec(block);
  if (!expr) {
    expect(block).toMatch(/@type json/);
    return null;
  }
  return expr[1];
}

/** The grok pattern for a format in logstash.conf, or null for a json filter. */
function grokRegex(format: string): string | null {
  const block = new RegExp(`if \\[@metadata\\]\\[format\\] == "${format}" \\{([\\s\\S]*?)\\n  \\}`).exec(logstash)![1];
  const m = /"message" => '([^']*)'/.exec(block);
  if (!m) {
    expect(block).toMatch(/json \{/);
    return null;
  }
  return m[1];
}

describe('Fluentd and Logstash configs', () => {
  it.each(PIPELINE_FORMATS)('parse %s with the Promtail regex (or JSON)', (format) => {
    const expected = promtailRegex(format)?.replace(/\(\?P</g, '(?<') ?? null;
    expect(fluentdRegex(format)).toBe(expected);
    expect(grokRegex(format)).toBe(expected);
  });

  it('send to Loki over TLS with the tenant, credentials only from the environment', () => {
    expect(fluentd).toMatch(/tenant "#\{ENV\['LOKI_TENANT'\]\}"/);
    expect(fluentd).toMatch(/password "#\{ENV\['LOKI_PASSWORD'\]\}"/);
    expect(fluentd).toMatch(/ca_cert \/\S+/);
    expect(logstash).toMatch(/tenant_id => "\$\{LOKI_TENANT\}"/);
    expect(logstash).toMatch(/password => "\$\{LOKI_PASSWORD\}"/);
    expect(logstash).toMatch(/ca_cert => "\/\S+"/);
    expect(logstash).toMatch(/include_fields => \["platform", "cluster", "mesh", "namespace", "log_type"\]/);
  });

  it('redact before parsing', () => {
    expect(fluentd.indexOf('@type mesh_audit_redact')).toBeLessThan(fluentd.indexOf('@type parser'));
    expect(logstash.indexOf('"stage" => "redact"')).toBeLessThan(logstash.indexOf('"message" => \''));
  });
});

const haveRuby = spawnSync('ruby', ['-e', 'require "json"']).status === 0;

function runRuby(requests: object[]): any[] {
  const run = spawnSync('ruby', [join(__dirname, 'ruby', 'driver.rb'), SHIPPERS], { input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) {
    throw new Error(run.stderr || `exited with status ${run.status}, signal ${run.signal}${run.error ? `: ${run.error.message}` : ""}`);
  }
  return run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

(haveRuby ? describe : describe.skip)(`the Ruby shippers' code in Ruby${haveRuby ? '' : ' (skipped: no ruby)'}`, () => {
  const lines = fixtureLines().filter((f) => PIPELINE_FORMATS.includes(f.format));
  const filename = (format: string) => `/var/log/mesh/prod-us/${MESH_OF[format as keyof typeof MESH_OF]}/${format}.log`;

  it.each(['fluentd', 'logstash'] as const)('%s ships every fixture line as what normalizeLine parses', (fn) => {
    const regexOf = fn === 'fluentd' ? fluentdRegex : grokRegex;
    const redacted = runRuby(lines.map((f) => ({ fn: 'redact', line: f.line })));
    const out = runRuby(lines.map((f) => ({ fn, regex: regexOf(f.format), line: f.line, filename: filename(f.format) })));
    lines.forEach((f, i) => {
      const { line, ...labels } = out[i];
      expect(Object.keys(labels).sort()).toEqual(expect.arrayContaining(['cluster', 'log_type', 'mesh', 'platform']));
      expectParity(f, { dropped: false, line, labels }, redacted[i].line, {});
      expect(labels).toMatchObject({ cluster: 'prod-us', platform: 'kubernetes' });
    });
  });

  it.each(['fluentd', 'logstash'] as const)('%s turns a line that does not fit into an error record with the redacted raw line', (fn) => {
    const regex = (fn === 'fluentd' ? fluentdRegex : grokRegex)('istio-text');
    const [out] = runRuby([{ fn, regex, line: '[2024-06-02T13:24:57.930Z] "GET /?token=abc HTTP/1.1" truncated', filename: filename('istio-text') }]);
    expect(JSON.parse(out.line)).toEqual({ format: 'istio-text', error: 'line does not fit the istio-text layout', raw: '[2024-06-02T13:24:57.930Z] "GET /?token=REDACTED HTTP/1.1" truncated' });
  });

  it.each(REDACTION_CASES.map((c) => [c.name, c] as const))('redacts %s exactly like the Promtail stages', (_name, c) => {
    expect(runRuby([{ fn: 'redact', line: c.line }])[0].line).toBe(c.redacted);
  });
});

(haveRuby ? describe : describe.skip)('the Ruby shippers on damaged lines', () => {
  it.each(['fluentd', 'logstash'] as const)('%s: every result is an error record or what normalizeLine parses', (fn) => {
    const regexOf = fn === 'fluentd' ? fluentdRegex : grokRegex;
    const inputs = fixtureLines()
      .filter((f) => PIPELINE_FORMATS.includes(f.format))
      .flatMap((f) => damaged(f.line, 12).map((line) => ({ format: f.format, line })));
    const redacted = runRuby(inputs.map((x) => ({ fn: 'redact', line: x.line })));
    const out = runRuby(inputs.map((x) => ({ fn, regex: regexOf(x.format), line: x.line, filename: `/var/log/mesh/prod-us/${MESH_OF[x.format]}/${x.format}.log` })));
    const wrong: string[] = [];
    out.forEach((o, i) => {
      const record = JSON.parse(o.line);
      if ('error' in record) {
        return;
      }
      const expected = normalizeLine(redacted[i].line, { format: inputs[i].format });
      if (!expected.ok || JSON.stringify(record) !== JSON.stringify(expected.record)) {
        wrong.push(`${inputs[i].format} ${expected.ok ? 'differs' : `parser rejects (${expected.error})`}: ${inputs[i].line}`);
      }
    });
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
