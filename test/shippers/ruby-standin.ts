/**
 * Runs the Ruby shippers' code (provisioning/shippers/ruby, the Fluentd filter plugin, the
 * Logstash filter script) in Debian's Ruby through test/shippers/ruby/driver.rb, with stand-ins for
 * Fluentd's and Logstash's own classes (neither installs here: no rubygems.org). Logstash's grok
 * and json filters are taken from logstash.conf; the driver applies them between the two ruby stages.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_FORMATS } from './lib/fixtures';

export const SHIPPERS = join(__dirname, '..', '..', 'provisioning', 'shippers');
export const fluentdConf = readFileSync(join(SHIPPERS, 'fluentd', 'fluentd.conf'), 'utf8');
export const logstashConf = readFileSync(join(SHIPPERS, 'logstash', 'logstash.conf'), 'utf8');

export const haveRuby = spawnSync('ruby', ['-e', 'require "json"']).status === 0;

/** The grok pattern for a format in logstash.conf, or null for its json filter. */
export function grokRegex(format: string): string | null {
  const block = new RegExp(`if \\[@metadata\\]\\[format\\] == "${format}" \\{([\\s\\S]*?)\\n  \\}`).exec(logstashConf)?.[1];
  if (block === undefined) {
    throw new Error(`logstash.conf parses no ${format}`);
  }
  const m = /"message" => '([^']*)'/.exec(block);
  if (!m) {
    if (!/json \{/.test(block)) {
      throw new Error(`logstash.conf's ${format} block is neither grok nor json`);
    }
    return null;
  }
  return m[1];
}

/** The Ruby regex literals of MeshAudit::PARSERS (what the Fluentd filter parses with). */
export function rubyParsers(): Record<string, string> {
  const text = readFileSync(join(SHIPPERS, 'ruby', 'mesh_audit.rb'), 'utf8');
  const block = /PARSERS = \{\n([\s\S]*?)\n {2}\}\.freeze/.exec(text)![1];
  return Object.fromEntries([...block.matchAll(/^ {4}'([a-z-]+)' => \/(.*)\/,?$/gm)].map((m) => [m[1], m[2]]));
}

export interface RubyOut {
  dropped: boolean;
  line?: string;
  labels?: Record<string, string>;
  /** Epoch nanoseconds the Loki output would send, as a decimal string ('0' = the read time). */
  ts?: string;
}

function run(requests: object[]): Array<Record<string, unknown>> {
  const out = spawnSync('ruby', [join(__dirname, 'ruby', 'driver.rb'), SHIPPERS], {
    input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (out.status !== 0) {
    throw new Error(out.stderr || `exited with status ${out.status}, signal ${out.signal}${out.error ? `: ${out.error.message}` : ''}`);
  }
  return out.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

export function redactRuby(lines: string[]): string[] {
  return run(lines.map((line) => ({ fn: 'redact', line }))).map((r) => String(r.line));
}

/** Lines as read from their files through the Fluentd or the Logstash pipeline, up to the loki output. */
export function shipRuby(shipper: 'fluentd' | 'logstash', inputs: Array<{ path: string; text: string }>): RubyOut[] {
  const grok = Object.fromEntries(PIPELINE_FORMATS.map((f) => [f, grokRegex(f)]));
  const results = run([{ fn: 'config', grok }, ...inputs.map((x) => ({ fn: shipper, line: x.text, filename: x.path }))]).slice(1);
  return results.map((r) => {
    if (r.dropped) {
      return { dropped: true };
    }
    const { line, ...labels } = r.record as Record<string, string>;
    const ts = shipper === 'fluentd' ? fluentdNanos(r.ts as [number, number]) : String(r.ts_ns);
    return { dropped: false, line, labels, ts };
  });
}

// fluent-plugin-grafana-loki's to_nano: EventTime seconds * 10**9 + nsec.
function fluentdNanos([sec, nsec]: [number, number]): string {
  return sec === 0 && nsec === 0 ? '0' : `${sec}${String(nsec).padStart(9, '0')}`;
}
