import type { TopologyGroupBy } from '../../core/query';
import type { EdgeAccumulator } from './join';
import type { NodePlace } from './model';

/**
 * One request between two sidecars is logged twice: by the caller's proxy (`outbound`: it knows
 * the caller workload and the callee service, rarely the TLS state) and by the callee's proxy
 * (`inbound`: it knows the callee and the TLS state, but in Envoy's default formats not the caller
 * workload). Counting both lines would double every meshed request and add an "unknown" caller.
 *
 * So, per callee, the callee's reports whose caller is not known are paired with the callers'
 * reports into it: up to the callers' total they are the same requests, seen from the other end
 * (they contribute only what the caller side lacks: the mTLS state); beyond it they are requests
 * from callers without a proxy (kubelet probes, unmeshed or plaintext clients), and stay as an
 * edge from the unknown caller. mTLS requests pair first: only a meshed caller can present a mesh
 * certificate. Coarser than namespace, the logging proxy's cluster is the only place a line has,
 * so every callee report is paired there. Then edges with the same ends are merged.
 */
export function reconcileReporters(
  edges: EdgeAccumulator[],
  level: TopologyGroupBy,
  nodeId: (place: NodePlace) => string
): EdgeAccumulator[] {
  const byTarget = new Map<string, { callers: EdgeAccumulator[]; callee: EdgeAccumulator[] }>();
  const group = (e: EdgeAccumulator) => {
    const id = nodeId(e.target);
    const g = byTarget.get(id) ?? { callers: [], callee: [] };
    byTarget.set(id, g);
    return g;
  };
  const kept: EdgeAccumulator[] = [];
  for (const e of edges) {
    if (e.direction === 'outbound') {
      group(e).callers.push(e);
    } else if (e.direction === 'inbound' && callerUnknown(e.source, level)) {
      group(e).callee.push(e);
    }
    kept.push(e);
  }
  const dropped = new Set<EdgeAccumulator>();
  for (const { callers, callee } of byTarget.values()) {
    let unpaired = callers.reduce((n, e) => n + e.requests, 0);
    let unpairedErrors = callers.reduce((n, e) => n + (e.errors ?? 0), 0);
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
  return mergeSameEnds(
    kept.filter((e) => !dropped.has(e)),
    nodeId
  );
}

function callerUnknown(source: NodePlace, level: TopologyGroupBy): boolean {
  switch (level) {
    case 'workload':
      return source.workload === 'unknown';
    case 'namespace':
      return source.namespace === 'unknown';
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

function mergeSameEnds(edges: EdgeAccumulator[], nodeId: (place: NodePlace) => string): EdgeAccumulator[] {
  const merged = new Map<string, EdgeAccumulator>();
  for (const e of edges) {
    const key = `${nodeId(e.source)}->${nodeId(e.target)}`;
    const m = merged.get(key);
    if (!m) {
      merged.set(key, { ...e });
      continue;
    }
    m.requests += e.requests;
    m.errors = m.errors === null && e.errors === null ? null : (m.errors ?? 0) + (e.errors ?? 0);
    m.p95Ms = m.p95Ms === null ? e.p95Ms : e.p95Ms === null ? m.p95Ms : Math.max(m.p95Ms, e.p95Ms);
    m.mtlsCount = m.mtlsCount === null && e.mtlsCount === null ? null : (m.mtlsCount ?? 0) + (e.mtlsCount ?? 0);
    m.plaintextCount += e.plaintextCount;
    m.hasMtlsStates ||= e.hasMtlsStates;
    m.direction = m.direction === e.direction ? m.direction : 'mixed';
  }
  return [...merged.values()];
}
