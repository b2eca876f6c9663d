/** @jest-environment node */
/**
 * The Vector config. No Vector binary is installable here, so the VRL program is NOT executed;
 * what is checked: the YAML parses, the sink sends to Loki over TLS with the tenant and only the
 * five labels, no secret is written in the file, every VRL regex literal compiles under RE2 rules
 * (Rust's regex crate accepts the same syntax), and the istio-text regex is the Promtail one,
 * which the Promtail tests run on real lines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { STREAM_LABELS } from '../../src/core/schema';
import { compileGo } from './lib/re2';
import { job, loadPromtail } from './lib/promtail-config';

const text = readFileSync(join(__dirname, '..', '..', 'provisioning', 'shippers', 'vector', 'vector.yaml'), 'utf8');
const config = parse(text);
const vrl: string = config.transforms.mesh_access.source;
const regexLiterals = [...vrl.matchAll(/r'([^']*)'/g)].map((m) => m[1]);

describe('vector.yaml', () => {
  it('tails /var/log/mesh into one remap and one loki sink', () => {
    expect(config.sources.mesh_files).toMatchObject({ type: 'file', include: ['/var/log/mesh/*/*/*.log'], file_key: 'file' });
    expect(config.transforms.mesh_access).toMatchObject({ type: 'remap', inputs: ['mesh_files'] });
    expect(config.sinks.loki).toMatchObject({ type: 'loki', inputs: ['mesh_access'], path: '/loki/api/v1/push', tenant_id: '${LOKI_TENANT}' });
  });

  it('sends over TLS with credentials from the environment and only the five labels', () => {
    const sink = config.sinks.loki;
    expect(sink.tls).toMatchObject({ ca_file: expect.stringMatching(/^\//), verify_certificate: true });
    expect(sink.auth).toEqual({ strategy: 'basic', user: '${LOKI_USERNAME}', password: '${LOKI_PASSWORD}' });
    expect(Object.keys(sink.labels)).toEqual([...STREAM_LABELS]);
  });

  it('has VRL regex literals that all compile under RE2 rules', () => {
    expect(regexLiterals.length).toBeGreaterThan(15);
    for (const re of regexLiterals) {
      expect(() => compileGo(re)).not.toThrow();
    }
  });

  it('parses istio-text with exactly the Promtail regex', () => {
    const promtail = job(loadPromtail('promtail.yaml'), 'mesh-access-files').pipeline_stages;
    const block = promtail.find((s) => 'match' in s && (s.match as { selector: string }).selector === '{format="istio-text"}')!;
    const regex = (block.match as { stages: Array<Record<string, { expression: string }>> }).stages.find((s) => 'regex' in s)!.regex.expression;
    expect(regexLiterals).toContain(regex);
  });

  it('redacts before anything parses the line', () => {
    const firstParse = vrl.indexOf('parse_regex(line');
    const lastRedaction = vrl.lastIndexOf('line = replace(line');
    expect(lastRedaction).toBeGreaterThan(0);
    expect(lastRedaction).toBeLessThan(firstParse);
  });
});
