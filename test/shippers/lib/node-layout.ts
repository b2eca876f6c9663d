/**
 * Where a line sits on a node (loggen/layout.ts, the contract every shipper reads): a CRI-framed
 * pod log of its mesh's proxy container on Kubernetes, a file named by its format on a VM; and the
 * stream labels a shipper must derive from that place.
 */
import type { ProfileName } from '../../../src/core/schema';
import { MESH_OF } from './fixtures';

export const PROXY_CONTAINER_OF: Partial<Record<ProfileName, string>> = {
  'istio-text': 'istio-proxy',
  'istio-json': 'istio-proxy',
  consul: 'consul-dataplane',
  'envoy-text': 'envoy',
  'envoy-json': 'envoy',
  'linkerd-json': 'linkerd-proxy',
  'linkerd-apache': 'linkerd-proxy',
  'kuma-http': 'kuma-sidecar',
  'kuma-tcp': 'kuma-sidecar',
};

export const POD = 'frontend-6c9d8f7b5d-x2k9p';

export interface Placement {
  path: string;
  text: string;
  labels: Record<string, string>;
}

/** The line in a VM file and, where its mesh runs as a sidecar, in a pod's log (root /var/log/mesh). */
export function placements(format: ProfileName, line: string): Placement[] {
  const labels = { platform: 'vm', cluster: 'vm-fleet', mesh: MESH_OF[format], namespace: 'shop', log_type: 'access', service_name: 'frontend' };
  const vm = { path: `/var/log/mesh/vm-fleet/vms/shop/frontend/${format}.log`, text: line, labels };
  const container = PROXY_CONTAINER_OF[format];
  if (!container) {
    return [vm];
  }
  const pod = {
    path: `/var/log/mesh/prod-eu/pods/shop_${POD}_4b304be4-3924-4d4f-bebd-f4462d1232eb/${container}/0.log`,
    text: `2026-11-30T09:00:02.5Z stdout F ${line}`,
    labels: { ...labels, platform: 'kubernetes', cluster: 'prod-eu' },
  };
  return [pod, vm];
}

/** Epoch nanoseconds (as a decimal string) of an RFC 3339 UTC text, exact. */
export function epochNanos(t: string): string {
  const frac = /\.(\d+)Z$/.exec(t)?.[1] ?? '';
  return `${Math.floor(Date.parse(t) / 1000)}${frac.padEnd(9, '0').slice(0, 9)}`;
}
