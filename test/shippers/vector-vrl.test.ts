/** @jest-environment node */
/**
 * Opt-in (MESH_AUDIT_RUST_CHECKS=1: builds test/shippers/vector-vrl-run with cargo from crates.io,
 * about ten minutes the first time): vector.yaml's remap, after Vector's interpolation, compiled
 * and run by the vrl crate, the language Vector embeds (not Vector itself). Fixture lines placed in
 * a pod log and a VM file: every record of the formats the remap parses equals normalizeLine with
 * the writer's labels, except the fields Vector leaves to the peer SANs it does not read (README
 * "partial"); other formats become error records, non-access lines are dropped; damaged lines
 * never become a record at a wrong time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { normalizeLine } from '../../src/core/profiles';
import { damaged } from './lib/damage';
import { fixtureLines } from './lib/fixtures';
import { placements, POD } from './lib/node-layout';
import { VECTOR_YAML, vectorInterpolate } from './vector-standin';

const RUN = process.env.MESH_AUDIT_RUST_CHECKS === '1';
const PARSED = ['istio-text', 'istio-json', 'linkerd-json'];
// Derived from the peer SANs only, which the remap does not read (README "Vector partial").
const SAN_FIELDS = ['src_identity', 'src_namespace', 'src_workload', 'dst_identity', 'mtls', 'mtls_basis'];

let binary = '';
let program = '';

function remap(events: Array<{ message: string; file: string }>): Array<Record<string, unknown>> {
  const out = spawnSync(binary, [program], { input: events.map((e) => JSON.stringify(e)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (out.status !== 0) {
    throw new Error(out.stderr);
  }
  return out.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

(RUN ? describe : describe.skip)(`vector.yaml's remap in the vrl crate${RUN ? '' : ' (skipped: set MESH_AUDIT_RUST_CHECKS=1; needs cargo and crates.io)'}`, () => {
  beforeAll(() => {
    const target = process.env.CARGO_TARGET_DIR ?? join(tmpdir(), 'mesh-audit-vector-vrl-run');
    const build = spawnSync('cargo', ['build', '--release', '--quiet', '--manifest-path', join(__dirname, 'vector-vrl-run', 'Cargo.toml')], { env: { ...process.env, CARGO_TARGET_DIR: target }, encoding: 'utf8' });
    if (build.status !== 0) {
      throw new Error(build.stderr);
    }
    binary = join(target, 'release', 'vector-vrl-run');
    const env = { LOKI_ENDPOINT: 'https://loki.example', LOKI_TENANT: 't', LOKI_USERNAME: 'u', LOKI_PASSWORD: 'p' };
    program = join(mkdtempSync(join(tmpdir(), 'mesh-audit-vrl-')), 'remap.vrl');
    writeFileSync(program, parse(vectorInterpolate(readFileSync(VECTOR_YAML, 'utf8'), env)).transforms.mesh_access.source);
  }, 40 * 60_000);

  it('compiles, and makes of every line it parses what normalizeLine does, with the six labels and the request\'s time', () => {
    const cases = fixtureLines()
      .filter((f) => PARSED.includes(f.format))
      .flatMap((f) => placements(f.format, f.line).map((p) => ({ f, p })));
    const out = remap(cases.map((c) => ({ message: c.p.text, file: c.p.path })));
    cases.forEach(({ f, p }, i) => {
      const o = out[i];
      const expected = normalizeLine(f.line, { format: f.format, context: { labels: { namespace: p.labels.namespace, service_name: p.labels.service_name } } });
      const record = JSON.parse(String(o.message));
      expect(expected.ok).toBe(true);
      const skip = f.format === 'istio-json' && /_peer_uri_san"/.test(f.line) ? SAN_FIELDS : [];
      const want = Object.fromEntries(Object.entries(expected.ok ? expected.record : {}).filter(([k]) => !skip.includes(k)));
      expect(Object.fromEntries(Object.entries(record).filter(([k]) => !skip.includes(k)))).toEqual(want);
      const { message: _m, timestamp, ...labels } = o;
      expect({ ...labels, log_type: 'access' }).toEqual(p.labels);
      expect(Date.parse(String(timestamp))).toBe(Date.parse(record.timestamp));
    });
  });

  it('ships other formats as error records, and drops what a proxy prints besides access logs', () => {
    const kuma = fixtureLines().find((f) => f.format === 'kuma-http')!;
    const [vm, info] = remap([
      { message: kuma.line, file: '/var/log/mesh/vm-fleet/vms/billing/billing-api/kuma-http.log' },
      { message: '2026-11-30T09:00:02Z stderr F 2026-11-30T09:00:02.000Z\tinfo\txdsproxy\tconnected', file: `/var/log/mesh/prod-eu/pods/shop_${POD}_u/istio-proxy/0.log` },
    ]);
    expect(JSON.parse(String(vm.message))).toMatchObject({ format: 'kuma-http', error: expect.stringContaining('not normalised by this Vector config') });
    expect(vm).toMatchObject({ platform: 'vm', cluster: 'vm-fleet', mesh: 'kuma', namespace: 'billing', service_name: 'billing-api' });
    expect(info).toEqual({ aborted: true });
  });

  // The remap validates less than normalizeLine (a number that does not parse becomes null, an
  // odd upstream cluster is read loosely: README "Known limits"), so on damaged lines only what
  // it does guarantee is held to: never a record at a time normalizeLine would not give it.
  it.each(PARSED)('%s, damaged: no record at a wrong or invalid time', (format) => {
    const inputs = fixtureLines()
      .filter((f) => f.format === format)
      .flatMap((f) => damaged(f.line, 12).map((line) => ({ line, p: placements(format as never, line)[1] })));
    const out = remap(inputs.map((x) => ({ message: x.p.text, file: x.p.path })));
    const wrong: string[] = [];
    let records = 0;
    out.forEach((o, i) => {
      if (o.aborted || o.runtime_error) {
        wrong.push(`${JSON.stringify(o)}: ${inputs[i].line}`);
        return;
      }
      const record = JSON.parse(String(o.message));
      if ('error' in record) {
        return;
      }
      records++;
      const expected = normalizeLine(inputs[i].line, { format: format as never });
      const time = expected.ok ? expected.record.timestamp : /timestamp|start_time|time\b/.test(expected.error) ? 'rejected' : record.timestamp;
      if (record.timestamp !== time || Date.parse(String(o.timestamp)) !== Date.parse(record.timestamp)) {
        wrong.push(`timestamp ${record.timestamp} (normalizeLine: ${time}): ${inputs[i].line}`);
      }
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(records).toBeGreaterThan(0);
  });
});
