/**
 * What really happened in the conformance window, from loggen's `truth` and the lines it wrote:
 * every figure the data source must reproduce from Loki, counted per request (both proxies of a
 * meshed request log it; loggen's `truth.request` ties the two lines together).
 *
 * Only what the logs can know is expected: a caller without a mesh proxy (loggen's unmeshed jobs
 * and probes) writes no line and carries no identity, so its edges start at an unknown caller.
 */
import type { AuditLine } from '../../loggen/audit';
import type { GeneratedLine, HopTruth } from '../../loggen/generate';
import { SITES } from '../../loggen/topology';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { LoggingPolicy } from '../../src/core/policy';
import { auditWriterLabels, writerLabels } from './window';

export interface TruthRequest {
  truth: HopTruth;
  platform: string;
  cluster: string;
  lines: GeneratedLine[];
  /** The callee's own proxy logged it. */
  calleeLogged: boolean;
}

export interface TruthEdge {
  source: [platform: string, cluster: string, namespace: string, workload: string];
  target: [platform: string, cluster: string, namespace: string, workload: string];
  requests: number;
}

export interface TruthControl {
  status: 'pass' | 'fail' | 'no-evidence';
  /** Requests the control's evidence is made of. */
  evidence: number;
}

const meshed = new Map<string, boolean>(SITES.flatMap((site) => site.services.map((s) => [`${site.cluster}/${s.namespace}/${s.name}`, s.meshed])));

export function requestsOf(lines: readonly GeneratedLine[]): TruthRequest[] {
  const byId = new Map<string, TruthRequest>();
  for (const line of lines) {
    let r = byId.get(line.truth.request);
    if (!r) {
      r = { truth: line.truth, platform: line.platform, cluster: line.cluster, lines: [], calleeLogged: false };
      byId.set(line.truth.request, r);
    }
    r.lines.push(line);
    r.calleeLogged ||= line.side === 'inbound';
  }
  return [...byId.values()];
}

const UNKNOWN = 'unknown';

/**
 * A caller the logs can name: it runs a mesh proxy, and that proxy logged the request or the
 * callee's line carries its identity. Kuma's TCP log names every source `unknown` and only the
 * callee logs TCP (loggen/formats/kuma.ts, as Kuma does).
 */
function callerKnowable(r: TruthRequest): boolean {
  const meshedCaller = meshed.get(`${r.cluster}/${r.truth.srcNamespace}/${r.truth.src}`) ?? false;
  return meshedCaller && !r.lines.every((l) => l.format === 'kuma-tcp');
}

export function truthEdges(requests: readonly TruthRequest[]): TruthEdge[] {
  const edges = new Map<string, TruthEdge>();
  for (const r of requests) {
    const t = r.truth;
    const source: TruthEdge['source'] = callerKnowable(r) ? [r.platform, r.cluster, t.srcNamespace, t.src] : [r.platform, r.cluster, UNKNOWN, UNKNOWN];
    const target: TruthEdge['target'] = [r.platform, r.cluster, t.dstNamespace, t.dst];
    const key = JSON.stringify([source, target]);
    const edge = edges.get(key) ?? { source, target, requests: 0 };
    edge.requests += 1;
    edges.set(key, edge);
  }
  return [...edges.values()].sort((a, b) => b.requests - a.requests);
}

const isServerError = (t: HopTruth) => t.status !== null && t.status >= 500;
const REFUSED_STATUSES = new Set([401, 403, 429]);

/** The control catalog's verdicts as loggen's truth gives them, for policy.example.yaml's policy. */
export function truthControls(requests: readonly TruthRequest[], policy: LoggingPolicy, fromMs: number, endMs: number, audit: readonly AuditLine[] = []): Record<string, TruthControl> {
  const strict = new Set(policy.strictMtlsNamespaces);
  const countOf = (pick: (r: TruthRequest) => boolean) => requests.filter(pick).length;
  const anyTraffic = requests.length > 0;

  const intoStrict = requests.filter((r) => strict.has(r.truth.dstNamespace) && r.calleeLogged);
  const plaintextIntoStrict = intoStrict.filter((r) => !r.truth.mtls).length;

  const byService = new Map<string, { http: number; errors: number }>();
  for (const r of requests) {
    if (r.truth.status === null || r.truth.status <= 0) {
      continue;
    }
    const s = byService.get(r.truth.dst) ?? { http: 0, errors: 0 };
    s.http += 1;
    s.errors += isServerError(r.truth) ? 1 : 0;
    byService.set(r.truth.dst, s);
  }
  const worstErrorShare = Math.max(0, ...[...byService.values()].map((s) => s.errors / s.http));

  // A1.2 counts responses as each proxy logged them: a line each.
  const availability = new Map<string, { http: number; ok: number }>();
  for (const r of requests) {
    if (r.truth.status === null || r.truth.status <= 0) {
      continue;
    }
    const s = availability.get(r.truth.dst) ?? { http: 0, ok: 0 };
    s.http += r.lines.length;
    s.ok += r.truth.status < 500 ? r.lines.length : 0;
    availability.set(r.truth.dst, s);
  }
  const lowestAvailability = Math.min(...[...availability.values()].map((s) => s.ok / s.http));
  // A1.1 likewise, a line each: responses 429 or 503 among a service's HTTP responses.
  const turnedAway = (r: TruthRequest) => r.truth.status === 429 || r.truth.status === 503;
  const unavailable = new Map<string, { http: number; away: number }>();
  for (const r of requests.filter((x) => x.truth.status !== null && x.truth.status > 0)) {
    const s = unavailable.get(r.truth.dst) ?? { http: 0, away: 0 };
    s.http += r.lines.length;
    s.away += turnedAway(r) ? r.lines.length : 0;
    unavailable.set(r.truth.dst, s);
  }
  const worstUnavailable = Math.max(0, ...[...unavailable.values()].map((s) => s.away / s.http));

  const silenceMs = policy.thresholds.maxSilenceMinutes * 60_000;
  const required = new Set(policy.requiredServices);
  const recentlyLogging = new Set(
    requests.flatMap((r) => r.lines.filter((l) => l.side === 'inbound' && l.timeMs > endMs - silenceMs && l.timeMs <= endMs).map((l) => l.workload))
  );
  const covered = [...required].filter((s) => recentlyLogging.has(s)).length;

  return {
    'CC6.7-mtls': {
      status:
        intoStrict.length === 0
          ? 'no-evidence'
          : (intoStrict.length - plaintextIntoStrict) / intoStrict.length >= policy.thresholds.minMtlsShare
            ? 'pass'
            : 'fail',
      evidence: plaintextIntoStrict,
    },
    'CC6.1-authz-denials': { status: anyTraffic ? 'pass' : 'no-evidence', evidence: countOf((r) => r.truth.denyPolicy !== null) },
    'CC6.6-boundary-denials': {
      status: anyTraffic ? 'pass' : 'no-evidence',
      evidence: countOf((r) => !r.truth.mtls && (r.truth.denyPolicy !== null || REFUSED_STATUSES.has(r.truth.status ?? 0))),
    },
    'CC7.2-error-anomaly': {
      status: byService.size === 0 ? 'no-evidence' : worstErrorShare <= policy.thresholds.maxErrorShare ? 'pass' : 'fail',
      evidence: countOf((r) => isServerError(r.truth)),
    },
    ...unexpectedCallers(requests, policy),
    ...retentionControls(requests, policy, audit),
    // The suite's tenants hold the window alone: no baseline before it, so nothing can be called new
    // (test/loki/new-edges.ts gives CC7.1 a baseline).
    'CC7.1-new-edges': { status: 'no-evidence', evidence: 0 },
    'CC4.1-logging-continuity': {
      status: required.size === 0 ? 'no-evidence' : loggingContinuous(requests, policy, fromMs, endMs) ? 'pass' : 'fail',
      evidence: countOf((r) => required.has(r.truth.dst)),
    },
    'A1.1-capacity': {
      status: unavailable.size === 0 ? 'no-evidence' : worstUnavailable <= policy.thresholds.maxUnavailableShare ? 'pass' : 'fail',
      evidence: countOf(turnedAway),
    },
    'A1.2-availability': {
      status: availability.size === 0 ? 'no-evidence' : lowestAvailability >= policy.thresholds.minAvailability ? 'pass' : 'fail',
      evidence: countOf((r) => isServerError(r.truth)),
    },
    'CC7.2-log-coverage': {
      status: required.size === 0 ? 'no-evidence' : covered === required.size ? 'pass' : 'fail',
      evidence: countOf((r) => required.has(r.truth.dst)),
    },
  };
}

/**
 * CC6.8 and CC6.3: requests into a service policy.allowedCallers lists from a caller its list does
 * not name, as each line names the caller: the caller's own proxy names itself; the callee's names
 * it only when callerKnowable, else the caller is unknown and so not allowed. CC6.8 counts them as
 * the evidence count does (per callee the side with more); CC6.3 takes the share of such lines that
 * were refused, and its evidence is the rest.
 */
function unexpectedCallers(requests: readonly TruthRequest[], policy: LoggingPolicy): Record<'CC6.8-unexpected-callers' | 'CC6.3-least-privilege', TruthControl> {
  const allowed = new Map(Object.entries(policy.allowedCallers));
  const scoped = requests.filter((r) => allowed.has(r.truth.dst));
  const refused = (r: TruthRequest) => r.truth.denyPolicy !== null || r.truth.status === 401 || r.truth.status === 403;
  const unexpected = new Map<string, { inbound: number; outbound: number }>();
  const throughUnrefused = new Map<string, { inbound: number; outbound: number }>();
  let lines = 0;
  let refusedLines = 0;
  for (const r of scoped) {
    const list = allowed.get(r.truth.dst)!;
    const key = JSON.stringify([r.cluster, r.truth.dstNamespace, r.truth.dst]);
    const sides = unexpected.get(key) ?? { inbound: 0, outbound: 0 };
    const through = throughUnrefused.get(key) ?? { inbound: 0, outbound: 0 };
    for (const side of ['inbound', 'outbound'] as const) {
      const logged = r.lines.filter((l) => l.side === side).length;
      const caller = side === 'outbound' || callerKnowable(r) ? r.truth.src : UNKNOWN;
      if (logged === 0 || list.includes(caller)) {
        continue;
      }
      sides[side] += 1;
      through[side] += refused(r) ? 0 : 1;
      lines += logged;
      refusedLines += refused(r) ? logged : 0;
    }
    unexpected.set(key, sides);
    throughUnrefused.set(key, through);
  }
  const requestsOfSides = (m: Map<string, { inbound: number; outbound: number }>) => [...m.values()].reduce((n, s) => n + Math.max(s.inbound, s.outbound), 0);
  const evidence = requestsOfSides(unexpected);
  return {
    'CC6.8-unexpected-callers': { status: scoped.length === 0 ? 'no-evidence' : evidence === 0 ? 'pass' : 'fail', evidence },
    'CC6.3-least-privilege': { status: lines === 0 ? 'no-evidence' : refusedLines === lines ? 'pass' : 'fail', evidence: requestsOfSides(throughUnrefused) },
  };
}

/**
 * CC4.1: every instance (cluster, namespace, service) of a required service wrote a line of its own
 * in every whole bucket of maxSilenceMinutes aligned to multiples of it inside (from, to], each
 * bucket (end − step, end]; a required service that wrote none anywhere is silent throughout.
 */
function loggingContinuous(requests: readonly TruthRequest[], policy: LoggingPolicy, fromMs: number, toMs: number): boolean {
  const stepMs = policy.thresholds.maxSilenceMinutes * 60_000;
  const ends: number[] = [];
  for (let t = Math.ceil((fromMs + stepMs) / stepMs) * stepMs; t <= toMs; t += stepMs) {
    ends.push(t);
  }
  const required = new Set(policy.requiredServices);
  const logged = new Map<string, Set<number>>();
  for (const r of requests) {
    for (const l of r.lines) {
      if (l.side !== 'inbound' || !required.has(l.workload)) {
        continue;
      }
      const end = Math.ceil(l.timeMs / stepMs) * stepMs;
      if (ends.includes(end)) {
        const key = JSON.stringify([l.cluster, l.namespace, l.workload]);
        logged.set(key, (logged.get(key) ?? new Set()).add(end));
      }
    }
  }
  const seen = new Set([...logged.keys()].map((k) => (JSON.parse(k) as string[])[2]));
  return ends.length > 0 && [...required].every((s) => seen.has(s)) && [...logged.values()].every((buckets) => buckets.size === ends.length);
}

/**
 * C1.1 and C1.2 for the Loki the suite runs: provisioning/loki/loki.yaml (paths aside), whose
 * retention rules test/as-code keeps equal to the policy's requirements, so no class is
 * configured short. A class with no line in the window is a gap (C1.1 fails); with lines, a 3-hour
 * window cannot show a requirement of days (no evidence). C1.2 holds when the compactor applies
 * retention and no period in the file is forever (0), so every class resolves to a finite one.
 */
function retentionControls(requests: readonly TruthRequest[], policy: LoggingPolicy, audit: readonly AuditLine[]): Record<string, TruthControl> {
  const lines = requests.flatMap((r) => r.lines);
  const inClass = (selector: Record<string, string>) => (labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
  const withLines = policy.logClasses.filter(
    (c) => lines.some((l) => inClass(c.selector)(writerLabels(l))) || audit.some((l) => inClass(c.selector)(auditWriterLabels(l)))
  );
  const loki = parseYaml(readFileSync(join(__dirname, '../../provisioning/loki/loki.yaml'), 'utf8')) as {
    compactor?: { retention_enabled?: boolean };
    limits_config?: { retention_period?: string; retention_stream?: Array<{ period: string }> };
  };
  const periods = [loki.limits_config?.retention_period, ...(loki.limits_config?.retention_stream ?? []).map((r) => r.period)];
  if (periods.some((p) => p === undefined)) {
    throw new Error('provisioning/loki/loki.yaml: the truth needs retention_period and every retention_stream period set');
  }
  const forever = periods.some((p) => /^0+[a-z]*$/.test(p!));
  return {
    'C1.1-retention-kept': { status: withLines.length < policy.logClasses.length ? 'fail' : 'no-evidence', evidence: policy.logClasses.length },
    'C1.2-retention-disposed': { status: loki.compactor?.retention_enabled === true && !forever ? 'pass' : 'fail', evidence: policy.logClasses.length },
  };
}
