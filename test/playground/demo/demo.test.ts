/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
// jsdom (for @grafana/data) but node export conditions, so the `yaml` package resolves to its CommonJS build.
/**
 * The demo frames tell the truth about loggen's lines: every check compares the frames (built by
 * the Loki stand-in and the data source's frame builders) with what loggen says really happened
 * (`truth`, the scenario schedule), never with numbers copied from a run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataFrame } from '@grafana/data';
import { DEFAULT_SCENARIO, windowsBetween } from '../../../loggen/scenario';
import { CONTROL_CATALOG, getControl } from '../../../src/core/controls';
import type { LoggingPolicy } from '../../../src/core/policy';
import { parsePolicyYaml } from '../../../provisioning/generate/policyFile';
import { DAY_MS } from '../../../src/datasource/frames/retentionFrame';
import { createDemo } from './index';
import { demoControlRows, measuredValue } from './controls';
import { demoLines, parsedEntries, type DemoLine } from './lines';
import { quantile } from './lokiStandIn';
import { demoRetentionRows } from './retention';
import { demoTopology } from './topology';
import { DEMO_END_MS, DEMO_START_MS, RETENTION_DAYS } from './window';

const policy: LoggingPolicy = parsePolicyYaml(readFileSync(join(__dirname, '../../../policy.example.yaml'), 'utf8'));
const range = { fromMs: DEMO_START_MS, toMs: DEMO_END_MS };
const lines: DemoLine[] = demoLines();
const demo = createDemo(policy);

const column = (frame: DataFrame, name: string): unknown[] => {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`no field ${name} in ${frame.name}`);
  }
  return field.values;
};
const sum = (values: unknown[]) => values.reduce<number>((n, v) => n + Number(v), 0);
/** Node ids are JSON [platform, cluster, namespace, workload] (src/datasource/topology/join.ts). */
const place = (id: unknown) => {
  const [platform, cluster, namespace, workload] = JSON.parse(String(id)) as string[];
  return { platform, cluster, namespace, workload };
};
const strict = new Set(policy.strictMtlsNamespaces);
const burstWindows = windowsBetween(DEFAULT_SCENARIO.errorBurst, DEMO_START_MS, DEMO_END_MS);
const inBurst = (l: DemoLine) => burstWindows.some((w) => l.line.timeMs >= w.startMs && l.line.timeMs < w.endMs);
const isPlaintextIntoStrict = (l: DemoLine) => !l.line.truth.mtls && strict.has(l.line.truth.dstNamespace);

describe('demo lines', () => {
  it('are loggen lines of the window, and every one parses to a common-schema record', () => {
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.every((l) => l.line.timeMs >= DEMO_START_MS && l.line.timeMs < DEMO_END_MS)).toBe(true);
    expect(lines.filter((l) => l.entry === null).map((l) => l.line.line).slice(0, 3)).toEqual([]);
  });

  it('cover the scenario: a 5xx burst, plaintext into strict namespaces and RBAC denials', () => {
    expect(burstWindows.length).toBeGreaterThan(0);
    expect(lines.filter(isPlaintextIntoStrict).length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.line.truth.denyPolicy !== null).length).toBeGreaterThan(0);
  });
});

describe('demo topology frames', () => {
  const [nodes, edges] = demo.frames('topology');

  // Both proxies of a meshed hop may log it: one request, up to two lines. loggen writes at most one
  // line per side and hop, so per caller and callee the requests are the larger of the two sides'
  // line counts (a silent proxy only removes its own side).
  function requestsWhere(keep: (l: DemoLine) => boolean): number {
    const sides = new Map<string, { outbound: number; inbound: number }>();
    for (const l of lines.filter(keep)) {
      const key = `${l.line.cluster} ${l.line.truth.src} ${l.line.truth.dst}`;
      const s = sides.get(key) ?? { outbound: 0, inbound: 0 };
      s[l.line.side]++;
      sides.set(key, s);
    }
    return sum([...sides.values()].map((s) => Math.max(s.outbound, s.inbound)));
  }
  const requests = { size: requestsWhere(() => true) };

  it('count every request once, though both proxies of a meshed hop log it', () => {
    expect(requests.size).toBeLessThan(lines.length);
    expect(sum(column(edges, 'detail__requests'))).toBe(requests.size);
    const rangeSeconds = (DEMO_END_MS - DEMO_START_MS) / 1000;
    expect(sum(column(nodes, 'mainstat')) * rangeSeconds).toBeCloseTo(requests.size, 6);
    expect(sum(column(nodes, 'secondarystat')) * rangeSeconds).toBeCloseTo(requests.size, 6);
  });

  it('count the 5xx responses loggen produced, once per request', () => {
    const errors = column(edges, 'detail__error_percent').map((p, i) => (Number(p) / 100) * Number(column(edges, 'detail__requests')[i]));
    const truth = requestsWhere((l) => (l.line.truth.status ?? 0) >= 500);
    expect(Math.round(sum(errors))).toBe(truth);
  });

  it('show the plaintext traffic into a strict namespace as plaintext or partial, and only because of it', () => {
    const flagged = (frames: DataFrame[]) => {
      const e = frames[1];
      return column(e, 'target')
        .map((target, i) => ({ target: place(target), mtls: column(e, 'detail__mtls')[i], requests: Number(column(e, 'detail__requests')[i]) }))
        .filter((x) => strict.has(x.target.namespace) && (x.mtls === 'plaintext' || x.mtls === 'partial'));
    };
    const withPlaintext = flagged(demo.frames('topology'));
    expect(withPlaintext.length).toBeGreaterThan(0);
    expect(new Set(withPlaintext.map((x) => x.target.namespace))).toEqual(new Set(lines.filter(isPlaintextIntoStrict).map((l) => l.line.truth.dstNamespace)));
    // The same window without the plaintext hops (by loggen's truth): nothing into strict namespaces is flagged.
    const without = demoTopology(parsedEntries(lines.filter((l) => !isPlaintextIntoStrict(l))), range).frames;
    expect(flagged(without)).toEqual([]);
  });

  it("raise the error share of the burst's services during the 5xx burst", () => {
    const share = (frames: DataFrame[], cluster: string, workload: string) => {
      const n = frames[0];
      const i = column(n, 'id').findIndex((id) => place(id).cluster === cluster && place(id).workload === workload);
      expect(i).toBeGreaterThanOrEqual(0);
      return Number(column(n, 'arc__errors')[i]);
    };
    const outside = demoTopology(parsedEntries(lines.filter((l) => !inBurst(l))), range).frames;
    for (const { cluster, service } of DEFAULT_SCENARIO.errorBurst.services) {
      const during = share(demo.frames('topology'), cluster, service);
      expect(during).toBeGreaterThan(policy.thresholds.maxErrorShare);
      expect(during).toBeGreaterThan(2 * share(outside, cluster, service));
    }
  });

  it('give each edge the p95 of its durations', () => {
    expect(quantile(0.95, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21])).toBeCloseTo(20);
    expect(quantile(0.5, [4, 1, 3, 2])).toBeCloseTo(2.5);
    const p95 = column(edges, 'detail__p95_ms').filter((v) => v !== null);
    expect(p95.length).toBeGreaterThan(0);
    expect(p95.every((v) => Number(v) >= 0)).toBe(true);
  });
});

describe('demo controls', () => {
  const rows = demoControlRows(parsedEntries(lines), policy, range);
  const row = (id: string) => rows.find((r) => r.id === id)!;

  it('has one row per catalog control, with the frame built from them', () => {
    expect(rows.map((r) => r.id)).toEqual(CONTROL_CATALOG.map((c) => c.id));
    expect(column(demo.frames('controls')[0], 'status')).toEqual(rows.map((r) => r.status));
  });

  it('fails CC6.7 because of the plaintext traffic the scenario injects', () => {
    expect(row('CC6.7-mtls').status).toBe('fail');
    const control = getControl('CC6.7-mtls')!;
    const withPlaintext = measuredValue(control, parsedEntries(lines), policy, range)!;
    const without = measuredValue(control, parsedEntries(lines.filter((l) => !isPlaintextIntoStrict(l))), policy, range)!;
    expect(without).toBeGreaterThan(withPlaintext);
    // Its evidence is every request into a strict namespace that was not proven mTLS, plaintext ones included.
    expect(row('CC6.7-mtls').evidenceCount).toBeGreaterThanOrEqual(lines.filter(isPlaintextIntoStrict).length);
  });

  it("measures CC6.7 on the callee's reports into strict namespaces, unknown mTLS counting against the share", () => {
    const scoped = lines.filter((l) => strict.has(l.entry?.labels.dst_namespace ?? '') && l.entry?.labels.direction !== 'outbound');
    const notMtls = scoped.filter((l) => l.entry?.labels.mtls !== 'mtls');
    expect(row('CC6.7-mtls').evidenceCount).toBe(notMtls.length);
    expect(measuredValue(getControl('CC6.7-mtls')!, parsedEntries(lines), policy, range)).toBeCloseTo(1 - notMtls.length / scoped.length, 12);
    // The evidence is exactly the plaintext hops loggen injected, not the callers' side of mTLS hops.
    const plaintextHops = lines.filter((l) => isPlaintextIntoStrict(l) && l.line.side === 'inbound');
    expect(notMtls.length).toBe(plaintextHops.length);
  });

  it('counts every RBAC denial the server side logged as CC6.1 evidence', () => {
    const denied = lines.filter((l) => l.line.truth.denyPolicy !== null && l.line.side === 'inbound');
    expect(denied.length).toBeGreaterThan(0);
    expect(row('CC6.1-authz-denials').evidenceCount).toBeGreaterThanOrEqual(denied.length);
    expect(row('CC6.1-authz-denials').status).toBe('pass');
    const newest = Math.max(...lines.filter((l) => l.entry?.labels.authz === 'deny').map((l) => l.line.timeMs));
    expect(row('CC6.1-authz-denials').lastEvidenceMs).toBe(newest);
  });

  it('fails the CC7.2 error-rate control because of the burst, and passes it without', () => {
    expect(row('CC7.2-error-anomaly').status).toBe('fail');
    const without = demoControlRows(parsedEntries(lines.filter((l) => !inBurst(l))), policy, range);
    expect(without.find((r) => r.id === 'CC7.2-error-anomaly')!.status).toBe('pass');
  });

  it('measures log coverage as the share of required services named as callee in the last maxSilenceMinutes', () => {
    const since = DEMO_END_MS - policy.thresholds.maxSilenceMinutes * 60_000;
    const seen = new Set(lines.filter((l) => l.line.timeMs > since).map((l) => l.entry?.labels.dst_service));
    const expected = policy.requiredServices.filter((s) => seen.has(s)).length / new Set(policy.requiredServices).size;
    expect(measuredValue(getControl('CC7.2-log-coverage')!, parsedEntries(lines), policy, range)).toBeCloseTo(expected, 12);
  });

  it('gives no evidence rather than a verdict when there are no logs', () => {
    const empty = demoControlRows([], policy, range);
    expect(empty.filter((r) => r.id !== 'CC7.2-log-coverage').map((r) => r.status)).toEqual(['no-evidence', 'no-evidence', 'no-evidence', 'no-evidence']);
  });
});

describe('demo retention', () => {
  const frame = demo.frames('retention')[0];
  const classes = column(frame, 'log_class');
  const days = (name: string) => classes.map((c, i) => (c === name ? i : -1)).filter((i) => i >= 0);

  it('has every policy class on every day of the window, ending at a UTC midnight', () => {
    expect([...new Set(classes)]).toEqual(policy.logClasses.map((c) => c.name));
    for (const c of policy.logClasses) {
      expect(days(c.name)).toHaveLength(RETENTION_DAYS);
    }
    expect(demo.retentionRange.toMs % DAY_MS).toBe(0);
  });

  it('covers every day for access logs; the audit class has no lines, as loggen writes none', () => {
    const covered = column(frame, 'covered');
    expect(days('mesh-access').every((i) => covered[i] === true)).toBe(true);
    expect(days('mesh-audit').every((i) => covered[i] === false && column(frame, 'lines')[i] === 0)).toBe(true);
    const lines = column(frame, 'lines');
    const access = days('mesh-access');
    days('payments-access').forEach((i, k) => expect(Number(lines[i])).toBeLessThan(Number(lines[access[k]])));
  });

  it('counts exactly the generated lines when every second is sampled, and scales sampled seconds', () => {
    const small = { fromMs: DEMO_START_MS, toMs: DEMO_START_MS + 5 * 60_000 };
    const exact = demoRetentionRows(policy, small, { seed: 42, ratePerSecond: 5, offsetMs: 0, sampleMs: 60_000, everyMs: 60_000 });
    const generated = demoLines({ seed: 42, startMs: small.fromMs, durationMs: small.toMs - small.fromMs, ratePerSecond: 5 });
    expect(exact.filter((r) => r.logClass === 'mesh-access').reduce((n, r) => n + r.lines, 0)).toBe(generated.length);
    expect(exact.filter((r) => r.logClass === 'payments-access').reduce((n, r) => n + r.lines, 0)).toBe(
      generated.filter((l) => l.line.namespace === 'payments').length
    );
    const sampled = demoRetentionRows(policy, small, { seed: 42, ratePerSecond: 5, offsetMs: 0, sampleMs: 10_000, everyMs: 60_000 });
    const firstTenSeconds = generated.filter((l) => (l.line.timeMs - small.fromMs) % 60_000 < 10_000).length;
    expect(sampled.filter((r) => r.logClass === 'mesh-access').reduce((n, r) => n + r.lines, 0)).toBe(6 * firstTenSeconds);
  });
});
