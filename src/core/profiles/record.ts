import type { AccessRecord, Mesh, ProfileName } from '../schema';
import type { LineContext } from './types';
import { workloadFromPod } from './identity';

/** A record that knows nothing yet: every value unknown, no flags. */
export function blankRecord(format: ProfileName, mesh: Mesh): AccessRecord {
  return {
    timestamp: null,
    mesh,
    format,
    direction: 'unknown',
    src_workload: null,
    src_namespace: null,
    src_identity: null,
    src_address: null,
    dst_service: null,
    dst_namespace: null,
    dst_workload: null,
    dst_identity: null,
    dst_address: null,
    dst_port: null,
    protocol: null,
    method: null,
    path: null,
    status: null,
    response_flags: [],
    duration_ms: null,
    bytes_in: null,
    bytes_out: null,
    mtls: 'unknown',
    mtls_basis: 'none',
    authz: 'unknown',
    authz_policy: null,
    request_id: null,
    trace_id: null,
  };
}

// Label names that shippers commonly use; the first present non-empty one wins. `service_name` is
// Loki 3's label for the emitting service (Alloy and Promtail on Kubernetes derive it from the pod's
// `app.kubernetes.io/name` / `app` labels); Loki writes `unknown_service` when it found none, which
// names nothing (research/real-path.md).
const NAMESPACE_LABELS = ['namespace', 'k8s_namespace_name', 'namespace_name', 'kubernetes_namespace_name'];
const WORKLOAD_LABELS = ['service_name', 'workload', 'app', 'app_kubernetes_io_name', 'k8s_deployment_name'];
const POD_LABELS = ['pod', 'k8s_pod_name', 'pod_name', 'kubernetes_pod_name'];
const NO_VALUE = new Set(['', '-', 'unknown_service']);

function firstLabel(labels: Record<string, string>, names: string[]): string | null {
  for (const name of names) {
    const value = labels[name];
    if (typeof value === 'string' && !NO_VALUE.has(value)) {
      return value;
    }
  }
  return null;
}

/** The writer of a line as its stream labels name it: the proxy's own namespace and workload. */
export interface Writer {
  namespace: string | null;
  workload: string | null;
}

export function writerFromLabels(labels: Record<string, string> | undefined): Writer {
  if (!labels) {
    return { namespace: null, workload: null };
  }
  const pod = firstLabel(labels, POD_LABELS);
  return {
    namespace: firstLabel(labels, NAMESPACE_LABELS),
    workload: firstLabel(labels, WORKLOAD_LABELS) ?? (pod === null ? null : workloadFromPod(pod)),
  };
}

/**
 * The stream labels describe the pod whose proxy wrote the line (DESIGN.md, "The writer of a
 * line"): the callee of an inbound line, the caller of an outbound one. They fill only what the
 * line did not say. An inbound line that names no service was addressed to the writer itself, so
 * the writer's workload also names the service (a Kubernetes Service selects pods of its own
 * namespace, so the namespace comes with it). With an unknown direction we cannot tell which side
 * the proxy is, so nothing is filled.
 */
export function fillFromContext(record: AccessRecord, context: LineContext | undefined): AccessRecord {
  if (record.direction === 'unknown') {
    return record;
  }
  const { namespace, workload } = writerFromLabels(context?.labels);
  if (record.direction === 'inbound') {
    record.dst_workload ??= workload;
    record.dst_service ??= workload;
    record.dst_namespace ??= namespace;
  } else {
    record.src_workload ??= workload;
    record.src_namespace ??= namespace;
  }
  return record;
}

/** Envoy's comma-joined flags ("UF,URX"); "-" or empty means none. */
export function splitFlags(flags: string | null): string[] {
  if (flags === null) {
    return [];
  }
  return flags.indexOf(',') < 0 ? [flags] : flags.split(',').filter((f) => f !== '' && f !== '-');
}
