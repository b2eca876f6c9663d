import type { TopologyGroupBy } from '../../core/query';
import { nodeId, UNKNOWN, type EdgeAccumulator, type NodePlace } from './model';

/**
 * One request between two sidecars is logged twice: by the caller's proxy (`outbound`: it knows
 * the caller workload and the callee service, rarely the TLS state) and by the callee's proxy
 * (`inbound`: it knows the callee and the TLS state, and the caller only when a peer identity
 * names it). Counting both lines would double every meshed request.
 *
 * So, first, where both reports name the same two ends they are the same requests: the edge has
 * as many as the larger report (the caller also logs what never reached the callee, the callee also
 * what came from callers that do not log), its TLS state from the callee. Then, per callee, the
 * callee's reports whose caller is not known are paired with what the callers reported beyond
 * that: up to that total they are the same requests, seen from the other end (they contribute
 * only what the caller side lacks: the mTLS state); beyond it they are requests from callers
 * without a proxy (kubelet probes, unmeshed or plaintext clients), and stay as an edge from the
 * unknown caller. Coarser than namespace, the logging proxy's cluster is the only place a line
 * has, so every callee report is paired there.
 */
export function reconcileReporters(edges: EdgeAccumulator[], level: TopologyGroupBy): EdgeAccumulator[] {
  const unknownCaller: EdgeAccumulator[] = [];
  const known: EdgeAccumulator[] = [];
  for (const e of edges) {
    (e.direction === 'inbound' && callerUnknown(e.source, level) ? unknownCaller : known).push(e);
  }
  const { merged, callerSurplus } = pairSameEnds(known);

  const byTarget = new Map<string, { callers: EdgeAccumulator[]; callee: EdgeAccumulator[] }>();
  const group = (e: EdgeAccumulator) => {
    const id = nodeId(e.target);
    const g = byTarget.get(id) ?? { callers: [], callee: [] };
    byTarget.set(id, g);
    return g;
  };
  for (const e of merged) {
    if (callerSurplus.has(e)) {
      group(e).callers.push(e);
    }
  }
  for (const e of unknownCaller) {
    group(e).callee.push(e);
  }
  const dropped = new Set<EdgeAccumulator>();
  for (const { callers, callee } of byTarget.values()) {
    let unpaired = callers.reduce((n, e) => n + callerSurplus.get(e)!.requests, 0);
    let unpairedErrors = callers.reduce((n, e) => n + callerSurplus.get(e)!.errors, 0);
    for (const report of callee) {
      if (unpaired <= 0) {
        break;
      }
      const paired = Math.min(report.requests, unpaired);
      transferTls(report, callers, paired);
      const pairedErrors = Math.min(report.errors ?? 0, unpairedErrors, paired);
      unpaired -= paired;
      unpairedErrors -= pairedErrors;
      report.requests -= paired;
      if (report.errors !== null) {
        report.errors = Math.min(report.errors - pairedErrors, report.requests);
      }
      if (report.requests <= 0) {
        dropped.add(report);
      }
    }
  }
  return mergeSameEnds([...merged, ...unknownCaller.filter((e) => !dropped.has(e))]);
}

/**
 * Per pair of ends: the caller's and the callee's reports of the same requests become one edge of
 * the larger count; what the caller reported beyond the callee's count (`callerSurplus`) may be
 * among the callee's reports that name no caller.
 */
function pairSameEnds(edges: EdgeAccumulator[]): { merged: EdgeAccumulator[]; callerSurplus: Map<EdgeAccumulator, { requests: number; errors: number }> } {
  const byEnds = new Map<string, { outbound: EdgeAccumulator[]; inbound: EdgeAccumulator[]; other: EdgeAccumulator[] }>();
  for (const e of edges) {
    const key = `${nodeId(e.source)}->${nodeId(e.target)}`;
    const g = byEnds.get(key) ?? { outbound: [], inbound: [], other: [] };
    byEnds.set(key, g);
    (e.direction === 'outbound' ? g.outbound : e.direction === 'inbound' ? g.inbound : g.other).push(e);
  }
  const merged: EdgeAccumulator[] = [];
  const callerSurplus = new Map<EdgeAccumulator, { requests: number; errors: number }>();
  for (const g of byEnds.values()) {
    merged.push(...g.other);
    const caller = g.outbound.length > 0 ? sumReports(g.outbound) : null;
    const callee = g.inbound.length > 0 ? sumReports(g.inbound) : null;
    if (!caller || !callee) {
      // One side reported these ends, or neither (only reports without a direction).
      if (caller) {
        callerSurplus.set(caller, { requests: caller.requests, errors: caller.errors ?? 0 });
      }
      const only = caller ?? callee;
      if (only) {
        merged.push(only);
      }
      continue;
    }
    const edge: EdgeAccumulator = {
      ...callee,
      direction: 'mixed',
      requests: Math.max(caller.requests, callee.requests),
      errors: caller.errors === null && callee.errors === null ? null : Math.max(caller.errors ?? 0, callee.errors ?? 0),
      p95Ms: caller.p95Ms === null ? callee.p95Ms : callee.p95Ms === null ? caller.p95Ms : Math.max(caller.p95Ms, callee.p95Ms),
    };
    merged.push(edge);
    if (caller.requests > callee.requests) {
      callerSurplus.set(edge, { requests: caller.requests - callee.requests, errors: Math.max(0, (caller.errors ?? 0) - (callee.errors ?? 0)) });
    }
  }
  return { merged, callerSurplus };
}

function sumReports(reports: EdgeAccumulator[]): EdgeAccumulator {
  return reports.slice(1).reduce((sum, e) => mergeInto(sum, e), { ...reports[0] });
}

function callerUnknown(source: NodePlace, level: TopologyGroupBy): boolean {
  switch (level) {
    case 'workload':
      return source.workload === UNKNOWN;
    case 'namespace':
      return source.namespace === UNKNOWN;
    default:
      return true;
  }
}

/**
 * The callee saw `paired` of the callers' requests; its TLS evidence goes to the callers' edges that
 * have none of their own, in proportion to their requests, and leaves the callee's report.
 */
function transferTls(report: EdgeAccumulator, callers: EdgeAccumulator[], paired: number): void {
  if (report.mtlsCount === null) {
    return;
  }
  const pairedMtls = Math.min(report.mtlsCount, paired);
  const pairedPlaintext = Math.min(report.plaintextCount, paired - pairedMtls);
  report.mtlsCount -= pairedMtls;
  report.plaintextCount -= pairedPlaintext;
  const blind = callers.filter((c) => (c.mtlsCount ?? 0) === 0 && c.plaintextCount === 0);
  const total = blind.reduce((n, c) => n + c.requests, 0);
  if (total <= 0) {
    return;
  }
  for (const c of blind) {
    const share = c.requests / total;
    c.mtlsCount = (c.mtlsCount ?? 0) + pairedMtls * share;
    c.plaintextCount += pairedPlaintext * share;
    c.hasMtlsStates ||= report.hasMtlsStates;
  }
}

function mergeInto(m: EdgeAccumulator, e: EdgeAccumulator): EdgeAccumulator {
  m.requests += e.requests;
  m.errors = m.errors === null && e.errors === null ? null : (m.errors ?? 0) + (e.errors ?? 0);
  m.p95Ms = m.p95Ms === null ? e.p95Ms : e.p95Ms === null ? m.p95Ms : Math.max(m.p95Ms, e.p95Ms);
  m.mtlsCount = m.mtlsCount === null && e.mtlsCount === null ? null : (m.mtlsCount ?? 0) + (e.mtlsCount ?? 0);
  m.plaintextCount += e.plaintextCount;
  m.hasMtlsStates ||= e.hasMtlsStates;
  m.direction = m.direction === e.direction ? m.direction : 'mixed';
  return m;
}

/** Edges with the same ends after pairing (different requests, e.g. paired and unmeshed callers) are added up. */
function mergeSameEnds(edges: EdgeAccumulator[]): EdgeAccumulator[] {
  const merged = new Map<string, EdgeAccumulator>();
  for (const e of edges) {
    const key = `${nodeId(e.source)}->${nodeId(e.target)}`;
    const m = merged.get(key);
    merged.set(key, m ? mergeInto(m, e) : { ...e });
  }
  return [...merged.values()];
}
