/** @jest-environment node */
import { generate, GenerateOptionsError, type GeneratedLine } from './generate';
import { DEFAULT_SCENARIO, inWindow, windowsBetween } from './scenario';
import { fileLine, podOf, PROXY_CONTAINER, rfc3339Nano } from './layout';
import { workloadFromPod } from '../src/core/profiles/identity';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY0 = Date.UTC(2026, 10, 24);
const run = (seed: number, start: number, durationMs: number, rate = 4) => [
  ...generate({ seed, start, durationMs, ratePerSecond: rate }),
];
const linesOf = (ls: GeneratedLine[]) => ls.map((l) => l.line);

describe('determinism', () => {
  const window = () => run(42, DAY0 + 9 * HOUR, 5 * MIN);

  it('writes the same lines for the same seed', () => {
    const a = window();
    expect(a.length).toBeGreaterThan(1000);
    expect(linesOf(window())).toEqual(linesOf(a));
  });

  it('writes different lines for a different seed', () => {
    const a = linesOf(window());
    const b = linesOf(run(43, DAY0 + 9 * HOUR, 5 * MIN));
    const shared = b.filter((l) => a.includes(l)).length;
    expect(shared).toBe(0);
  });

  it('does not depend on how a time range is split (backfill then follow = one run)', () => {
    const whole = linesOf(run(5, DAY0, 3 * MIN));
    const split = [...linesOf(run(5, DAY0, 70_500)), ...linesOf(run(5, DAY0 + 70_500, 3 * MIN - 70_500))];
    expect(split).toEqual(whole);
  });

  it('keeps every file in time order and every line inside the requested window', () => {
    const ls = run(3, DAY0 + 1000, 4 * MIN);
    const last = new Map<string, number>();
    for (const l of ls) {
      expect(l.timeMs).toBeGreaterThanOrEqual(DAY0 + 1000);
      expect(l.timeMs).toBeLessThan(DAY0 + 1000 + 4 * MIN);
      expect(l.timeMs).toBeGreaterThanOrEqual(last.get(l.file) ?? 0);
      last.set(l.file, l.timeMs);
    }
  });

  it('rejects bad options with a message instead of writing nonsense', () => {
    expect(() => run(1.5, DAY0, MIN)).toThrow(GenerateOptionsError);
    expect(() => run(1, DAY0, MIN, 0)).toThrow(/ratePerSecond must be in \(0, 10000\]/);
    expect(() => run(1, Number.NaN, MIN)).toThrow(/start must be epoch milliseconds/);
  });
});

describe('file layout (the shippers rely on it, see README.md)', () => {
  const ls = run(8, DAY0 + 10 * HOUR, 10 * MIN);
  const POD_PATH = /^(prod-eu|prod-us)\/pods\/([a-z0-9-]+)_([a-z0-9-]+)_([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\/([a-z-]+)\/0\.log$/;
  const VM_PATH = /^vm-fleet\/vms\/([a-z0-9-]+)\/([a-z0-9-]+)\/([a-z0-9-]+)\.log$/;

  it('writes a Kubernetes proxy into its pod’s kubelet log, named so that the workload is recoverable', () => {
    const pods = ls.filter((l) => l.platform === 'kubernetes');
    expect(pods.length).toBeGreaterThan(1000);
    for (const l of pods) {
      const m = POD_PATH.exec(l.file);
      expect(m).not.toBeNull();
      const [, cluster, namespace, pod, , container] = m!;
      expect({ cluster, namespace, pod, container }).toEqual({
        cluster: l.cluster,
        namespace: l.namespace,
        pod: l.pod,
        container: PROXY_CONTAINER[l.mesh],
      });
      expect(workloadFromPod(pod)).toBe(l.workload);
      expect(pod).toMatch(/^.+-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    }
  });

  it('writes a VM dataplane into <namespace>/<workload>/<format>.log', () => {
    const vms = ls.filter((l) => l.platform === 'vm');
    expect(vms.length).toBeGreaterThan(100);
    for (const l of vms) {
      expect(VM_PATH.exec(l.file)?.slice(1)).toEqual([l.namespace, l.workload, l.format]);
      expect(l.pod).toBeNull();
    }
  });

  it('names each pod the same in every run, and every workload’s pod differently', () => {
    expect(podOf('prod-eu', 'shop', 'cart')).toEqual(podOf('prod-eu', 'shop', 'cart'));
    const other = run(99, DAY0 + 3 * HOUR, 5 * MIN);
    const podOfWorkload = new Map(ls.map((l) => [`${l.cluster}/${l.namespace}/${l.workload}`, l.file]));
    for (const l of other) {
      expect(podOfWorkload.get(`${l.cluster}/${l.namespace}/${l.workload}`) ?? l.file).toBe(l.file);
    }
    const names = [...new Set(ls.filter((l) => l.pod).map((l) => `${l.cluster}/${l.pod}`))];
    expect(new Set(names.map((n) => n.replace(/-[^-]+-[^-]+$/, ''))).size).toBe(names.length);
  });

  it('feeds every Loki stream (the writer’s cluster, namespace and service) from exactly one file', () => {
    // Two files in one stream interleave old and new lines when a shipper catches up on a backlog,
    // and Loki rejects what falls more than an hour behind (research/real-path.md).
    const fileOf = new Map<string, string>();
    for (const l of ls) {
      const stream = `${l.cluster}/${l.mesh}/${l.namespace}/${l.workload}`;
      expect(`${stream} -> ${fileOf.get(stream) ?? l.file}`).toBe(`${stream} -> ${l.file}`);
      fileOf.set(stream, l.file);
    }
    expect(fileOf.size).toBeGreaterThanOrEqual(25);
  });

  it('frames pod lines as the container runtime does and leaves VM lines as the dataplane wrote them', () => {
    const pod = ls.find((l) => l.platform === 'kubernetes')!;
    expect(fileLine(pod)).toBe(`${rfc3339Nano(pod.timeMs)} stdout F ${pod.line}`);
    const vm = ls.find((l) => l.platform === 'vm')!;
    expect(fileLine(vm)).toBe(vm.line);
    expect(rfc3339Nano(Date.UTC(2026, 10, 30, 9, 0, 0, 120))).toBe('2026-11-30T09:00:00.12Z');
    expect(rfc3339Nano(Date.UTC(2026, 10, 30, 9, 0, 1))).toBe('2026-11-30T09:00:01Z');
  });
});

describe('scenario', () => {
  const burst = DEFAULT_SCENARIO.errorBurst;
  const gap = DEFAULT_SCENARIO.coverageGap;

  it('puts a 5xx burst on catalog inside its window and not outside', () => {
    const [w] = windowsBetween(burst, DAY0, DAY0 + 6 * HOUR);
    const ls = run(21, w.startMs - 15 * MIN, 30 * MIN);
    const catalog = ls.filter((l) => l.cluster === 'prod-eu' && l.truth.dst === 'catalog' && l.side === 'outbound');
    const share = (xs: GeneratedLine[]) => xs.filter((l) => (l.truth.status ?? 0) >= 500).length / xs.length;
    const inside = catalog.filter((l) => l.timeMs >= w.startMs && l.timeMs < w.endMs);
    const outside = catalog.filter((l) => l.timeMs < w.startMs || l.timeMs >= w.endMs);
    expect(inside.length).toBeGreaterThan(100);
    expect(share(inside)).toBeGreaterThan(0.3);
    expect(share(outside)).toBeLessThan(0.03);
    // The 5xx are in the lines themselves, not just in the metadata.
    expect(inside.some((l) => / 503 UH no_healthy_upstream /.test(l.line))).toBe(true);
  });

  it('writes RBAC denials as Envoy logs them, with the policy that matched', () => {
    const ls = run(4, DAY0 + 11 * HOUR, 20 * MIN);
    const denials = ls.filter((l) => l.line.includes('rbac_access_denied_matched_policy['));
    expect(denials.length).toBeGreaterThan(3);
    const policies = new Set(denials.map((l) => /rbac_access_denied_matched_policy\[(.*?)\]("|,| )/.exec(l.line)?.[1]));
    expect(policies).toEqual(new Set(['ns[payments]-policy[deny-from-shop]-rule[0]', 'none']));
    for (const l of denials) {
      expect(l.side).toBe('inbound');
      expect(l.line).toMatch(/"response_code":403|" 403 /);
    }
  });

  it('sends plaintext into the strict payments namespace (no peer SAN, no SNI; Linkerd client.id "-")', () => {
    const ls = run(6, DAY0 + 15 * HOUR, 30 * MIN);
    const istio = ls.filter((l) => l.cluster === 'prod-eu' && l.namespace === 'payments' && l.side === 'inbound' && !l.truth.mtls);
    expect(istio.length).toBeGreaterThan(3);
    for (const l of istio) {
      const o = JSON.parse(l.line);
      expect([o.downstream_peer_uri_san, o.requested_server_name]).toEqual([null, null]);
    }
    const linkerd = ls.filter((l) => l.cluster === 'prod-us' && l.namespace === 'payments' && JSON.parse(l.line)['client.id'] === '-');
    expect(linkerd.length).toBeGreaterThan(3);
    // ...while meshed callers into payments carry their SPIFFE identity.
    const meshed = ls.filter((l) => l.cluster === 'prod-eu' && l.namespace === 'payments' && l.side === 'inbound' && l.truth.mtls);
    expect(meshed.every((l) => /^spiffe:\/\/cluster\.local\/ns\/[a-z-]+\/sa\/[a-z-]+$/.test(JSON.parse(l.line).downstream_peer_uri_san))).toBe(true);
  });

  it('silences the ledger for the whole coverage-gap window, and only then', () => {
    const [w] = windowsBetween(gap, DAY0, DAY0 + 24 * HOUR);
    const ls = run(9, w.startMs - 20 * MIN, w.endMs - w.startMs + 40 * MIN, 2);
    const ledger = ls.filter((l) => l.cluster === 'prod-eu' && l.workload === 'ledger');
    expect(ledger.filter((l) => l.timeMs >= w.startMs && l.timeMs < w.endMs)).toEqual([]);
    expect(ledger.filter((l) => l.timeMs < w.startMs).length).toBeGreaterThan(10);
    expect(ledger.filter((l) => l.timeMs >= w.endMs).length).toBeGreaterThan(10);
    // prod-eu callers still log their calls to it: the gap is in the ledger's own evidence.
    const callers = ls.filter((l) => l.truth.dst === 'ledger' && l.side === 'outbound' && inWindow(gap, l.timeMs));
    expect(callers.length).toBeGreaterThan(10);
    // In prod-us (Linkerd: inbound lines only) nothing mentions the ledger during the gap.
    const us = ls.filter((l) => l.cluster === 'prod-us' && (l.workload === 'ledger' || l.truth.dst === 'ledger'));
    expect(us.filter((l) => inWindow(gap, l.timeMs))).toEqual([]);
    expect(us.length).toBeGreaterThan(5);
    expect(w.endMs - w.startMs).toBeGreaterThan(30 * MIN); // longer than policy.example.yaml's maxSilenceMinutes
  });

  it('follows a daily cycle: the afternoon is busier than the night', () => {
    const night = run(2, DAY0 + 2 * HOUR + 30 * MIN, 5 * MIN).filter((l) => l.cluster === 'prod-eu').length;
    const afternoon = run(2, DAY0 + 14 * HOUR, 5 * MIN).filter((l) => l.cluster === 'prod-eu').length;
    expect(afternoon).toBeGreaterThan(night * 2);
  });
});
