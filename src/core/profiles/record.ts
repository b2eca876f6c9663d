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

// Label names that shippers commonly use; the first present non-empty one wins.
const NAMESPACE_LABELS = ['namespace', 'k8s_namespace_name', 'namespace_name', 'kubernetes_namespace_name'];
const WORKLOAD_LABELS = ['workload', 'app', 'app_kubernetes_io_name', 'k8s_deployment_name', 'service_name'];
const POD_LABELS = ['pod', 'k8s_pod_name', 'pod_name', 'kubernetes_pod_name'];

function firstLabel(labels: Record<string, string>, names: string[]): string | null {
  for (const name of names) {
    const value = labels[name];
    if (typeof value === 'string' && value !== '' && value !== '-') {
      return value;
    }
  }
  return null;
}

/**
 * The stream labels describe the pod whose proxy wrote the line: the callee of an inbound line,
 * the caller of an outbound one. They fill only what the line did not say. With an unknown
 * direction we cannot tell which side the proxy is, so nothing is filled.
 */
export function fillFromContext(record: AccessRecord, context: LineContext | undefined): AccessRecord {
  const labels = context?.labels;
  if (!labels || record.direction === 'unknown') {
    return record;
  }
  const namespace = firstLabel(labels, NAMESPACE_LABELS);
  const pod = firstLabel(labels, POD_LABELS);
  const workload = firstLabel(labels, WORKLOAD_LABELS) ?? (pod === null ? null : workloadFromPod(pod));
  if (record.direction === 'inbound') {
    record.dst_workload ??= workload;
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
