/** @jest-environment node */
import { normalizeLine, detectProfile } from '../src/core/profiles';
import { generate, type GeneratedLine } from './generate';
import { workloadFromPod } from '../src/core/profiles/identity';

// 01:50-02:20 UTC: normal traffic, then the 02:00 error burst; every format and scenario occurs.
const START = Date.UTC(2026, 10, 24, 1, 50);
const lines: GeneratedLine[] = [...generate({ seed: 11, start: START, durationMs: 30 * 60_000, ratePerSecond: 4 })];

describe('every generated line round-trips through the profiles in src/core/profiles', () => {
  it('covers all six formats', () => {
    expect(new Set(lines.map((l) => l.format))).toEqual(
      new Set(['istio-text', 'istio-json', 'linkerd-json', 'consul', 'kuma-http', 'kuma-tcp'])
    );
  });

  it('parses with its own profile and is auto-detected as that profile', () => {
    const failures: string[] = [];
    for (const l of lines) {
      const parsed = normalizeLine(l.line, { format: l.format });
      if (!parsed.ok) {
        failures.push(`${l.format}: ${parsed.error}\n  ${l.line}`);
        continue;
      }
      const detected = detectProfile(l.line)?.name;
      if (detected !== l.format) {
        failures.push(`${l.format} detected as ${detected}\n  ${l.line}`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('yields the record the traffic really was (mesh, status, direction, callee, authz)', () => {
    const wrong: string[] = [];
    const check = (l: GeneratedLine, what: string, got: unknown, want: unknown) => {
      if (got !== want) {
        wrong.push(`${l.format} ${l.side} ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}\n  ${l.line}`);
      }
    };
    for (const l of lines) {
      // The stream labels a shipper attaches from the file's path: who wrote the line.
      const context = { labels: { namespace: l.namespace, service_name: l.pod === null ? l.workload : workloadFromPod(l.pod) } };
      const parsed = normalizeLine(l.line, { format: l.format, context });
      if (!parsed.ok) {
        continue; // reported by the test above
      }
      const r = parsed.record;
      check(l, 'mesh', r.mesh, l.mesh);
      check(l, 'format', r.format, l.format);
      check(l, 'status', r.status, l.truth.status);
      if (l.format !== 'linkerd-json') {
        // Linkerd names no callee: the destination is the pod that wrote the line.
        check(l, 'direction', r.direction, l.side);
        // A plaintext inbound line names no callee; its stream labels do.
        check(l, 'callee', r.dst_service ?? r.dst_workload, l.truth.dst);
      }
      check(l, l.side === 'inbound' ? 'dst_workload' : 'src_workload', l.side === 'inbound' ? r.dst_workload : r.src_workload, l.workload);
      if (l.truth.denyPolicy !== null && l.side === 'inbound') {
        check(l, 'authz', r.authz, 'deny');
        check(l, 'authz_policy', r.authz_policy, l.truth.denyPolicy);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('never states the wrong mTLS verdict, and proves it where the recommended format is on', () => {
    const wrong: string[] = [];
    for (const l of lines) {
      const parsed = normalizeLine(l.line, { format: l.format });
      if (!parsed.ok) {
        continue;
      }
      const { mtls, mtls_basis } = parsed.record;
      if (mtls !== 'unknown' && mtls !== (l.truth.mtls ? 'mtls' : 'plaintext')) {
        wrong.push(`${l.format} ${l.side}: ${mtls} but the hop was ${l.truth.mtls ? 'mTLS' : 'plaintext'}\n  ${l.line}`);
      }
      // Inbound istio-json lines carry the peer SAN (the recommended format): proof either way.
      if (l.format === 'istio-json' && l.side === 'inbound' && (mtls === 'unknown' || mtls_basis !== 'peer-identity')) {
        wrong.push(`istio-json inbound without peer-identity evidence: ${mtls}/${mtls_basis}\n  ${l.line}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
