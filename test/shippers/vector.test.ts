/** @jest-environment node */
/**
 * The Vector config. No Vector binary can be had here (not in Debian, a large Rust build); its
 * remap runs with the vrl crate in vector-vrl.test.ts (opt-in). Checked here: Vector's own
 * environment interpolation (vector-standin.ts) leaves a config that parses and keeps the VRL's
 * `$1`/`${1}` replacement groups; the file source reads the node layout from the start; the sink
 * sends to Loki over TLS with the tenant and only the six labels, at the event's `.timestamp`; no
 * secret is written in the file; every VRL regex literal compiles under RE2 rules (Rust's regex
 * crate accepts the same syntax); the istio-text regex is the Promtail one, which real Promtail runs.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { STREAM_LABELS } from '../../src/core/schema';
import { compileGo } from './lib/re2';
import { promtailRegex } from './lib/promtail-regexes';
import { VECTOR_YAML, vectorInterpolate } from './vector-standin';

const ENV = { LOKI_ENDPOINT: 'https://loki.example:3100', LOKI_TENANT: 'mesh-audit', LOKI_USERNAME: 'u', LOKI_PASSWORD: 'p' };

const raw = readFileSync(VECTOR_YAML, 'utf8');
const config = parse(vectorInterpolate(raw, ENV));
const vrl: string = config.transforms.mesh_access.source;
const regexLiterals = [...vrl.matchAll(/(?<![A-Za-z])r'([^']*)'/g)].map((m) => m[1]);

describe('vector.yaml', () => {
  it('survives Vector\'s environment interpolation with only the documented variables, keeping the VRL\'s replacement groups', () => {
    expect(() => vectorInterpolate(raw, {})).toThrow(/LOKI_/);
    expect(vectorInterpolate('a $${1} $$1 ${X:-d}', {})).toBe('a ${1} $1 d');
    expect(() => vectorInterpolate('"$1-REDACTED"', ENV)).toThrow(/variable 1 is not set/);
    expect(vrl).toContain('"$1$2REDACTED"');
    expect(vrl).toContain('"${1}REDACTED"');
    expect(JSON.stringify(config)).not.toContain('$$');
  });

  it('tails the node layout from each file\'s start into one remap and one loki sink', () => {
    expect(config.sources.mesh_files).toMatchObject({
      type: 'file',
      include: ['/var/log/mesh/*/pods/*/*/*.log', '/var/log/pods/*/*/*.log', '/var/log/mesh/*/vms/*/*/*.log'],
      read_from: 'beginning',
      file_key: 'file',
    });
    expect(config.data_dir).toMatch(/^\//);
    expect(config.transforms.mesh_access).toMatchObject({ type: 'remap', inputs: ['mesh_files'] });
    expect(config.sinks.loki).toMatchObject({ type: 'loki', inputs: ['mesh_access'], path: '/loki/api/v1/push', tenant_id: 'mesh-audit' });
  });

  it('sends over TLS with credentials from the environment, the six labels and the request\'s time', () => {
    const sink = parse(raw).sinks.loki;
    expect(sink.tls).toMatchObject({ ca_file: expect.stringMatching(/^\//), verify_certificate: true });
    expect(sink.auth).toEqual({ strategy: 'basic', user: '${LOKI_USERNAME}', password: '${LOKI_PASSWORD}' });
    expect(Object.keys(sink.labels)).toEqual([...STREAM_LABELS]);
    expect(vrl).toMatch(/"timestamp": at,/);
    expect(vrl).toMatch(/at = if r\.timestamp != null \{ parse_timestamp\(string!\(r\.timestamp\), "%\+"\)/);
  });

  it('fills the writer\'s side from the file\'s place, as fillFromContext does', () => {
    for (const rule of ['r.dst_workload = workload', 'r.dst_service = workload', 'r.dst_namespace = namespace', 'r.src_workload = workload', 'r.src_namespace = namespace']) {
      expect(vrl).toContain(`{ ${rule} }`);
    }
  });

  it('has VRL regex literals that all compile under RE2 rules', () => {
    expect(regexLiterals.length).toBeGreaterThan(20);
    for (const re of regexLiterals) {
      expect(() => compileGo(re)).not.toThrow();
    }
  });

  it('parses istio-text with exactly the Promtail regex', () => {
    expect(regexLiterals).toContain(promtailRegex('istio-text'));
  });

  it('redacts before anything parses the line', () => {
    const firstParse = vrl.indexOf('parse_regex(line');
    const lastRedaction = vrl.lastIndexOf('line = replace(line');
    expect(lastRedaction).toBeGreaterThan(0);
    expect(lastRedaction).toBeLessThan(firstParse);
  });
});
