/** @jest-environment node */
/**
 * loggen's lines, each in the file loggen writes it to (CRI-framed pod logs, VM files), through the
 * Fluent Bit stand-in with mesh_audit*.lua: every record equals normalizeLine with the writer's
 * labels from the path, the six labels are the writer's, and the time is the request's own. The
 * window holds loggen's 02:00 error burst (thinned, every plaintext request kept), plus three hours'
 * plaintext calls into Istio JSON namespaces: their peer SAN is logged as null, which Fluent Bit
 * hands to Lua as a missing key, and which is still evidence of a plaintext caller.
 */
import { generate } from '../../loggen/generate';
import { fileLine } from '../../loggen/layout';
import type { FixtureLine } from './lib/fixtures';
import { epochNanos } from './lib/node-layout';
import { expectParity } from './lib/parity';
import { LUA_INTERPRETERS, shipThroughFluentBit } from './fluent-bit-standin';

// Plaintext calls into the strict namespace are rare (an unmeshed job): three hours hold some.
const plaintextIstioJson = [...generate({ seed: 7, start: Date.UTC(2026, 10, 24, 0, 0), durationMs: 3 * 3600_000, ratePerSecond: 2 })].filter(
  (g) => !g.truth.mtls && g.format === 'istio-json' && g.side === 'inbound'
);
const generated = [
  ...[...generate({ seed: 7, start: Date.UTC(2026, 10, 24, 1, 57), durationMs: 10 * 60_000, ratePerSecond: 2 })].filter((g, i) => !g.truth.mtls || i % 4 === 0),
  ...plaintextIstioJson,
];

const lua = LUA_INTERPRETERS[0];
(lua ? describe : describe.skip)(`loggen lines through Fluent Bit (stand-in, ${lua ?? 'no Lua installed'})`, () => {
  it('cover every format and both layouts, with peer SANs logged as null', () => {
    expect(new Set(generated.map((g) => g.format)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(generated.map((g) => g.platform))).toEqual(new Set(['kubernetes', 'vm']));
    expect(plaintextIstioJson.filter((g) => g.line.includes('"downstream_peer_uri_san":null')).length).toBeGreaterThan(5);
  });

  it('ship what normalizeLine parses, with the writer\'s six labels, at the request\'s time', () => {
    const shipped = shipThroughFluentBit(lua!, generated.map((g) => ({ path: `/var/log/mesh/${g.file}`, text: fileLine(g) })));
    generated.forEach((g, i) => {
      const s = shipped[i];
      const f: FixtureLine = { file: g.file, index: i, format: g.format, line: g.line };
      expectParity(f, s, s.redacted!, { namespace: g.namespace, service_name: g.workload });
      expect(s.labels).toEqual({ platform: g.platform, cluster: g.cluster, mesh: g.mesh, namespace: g.namespace, log_type: 'access', service_name: g.workload });
      const ts = s.ts as { sec: number; nsec: number };
      expect(`${ts.sec}${String(ts.nsec).padStart(9, '0')}`).toBe(epochNanos(JSON.parse(s.line!).timestamp));
    });
  });
});
