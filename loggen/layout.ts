/**
 * Where loggen writes: one file per (cluster, mesh, format) under the output root,
 * `<root>/<cluster>/<mesh>/<format>.log`. The shipper configs derive the cluster, mesh and
 * format labels from this path (loggen/README.md), so it is a contract.
 */
import type { LogFormat, MeshName, Platform } from './topology';

export function relativeLogPath(cluster: string, mesh: MeshName, format: LogFormat): string {
  return `${cluster}/${mesh}/${format}.log`;
}

/** Platform of a cluster, as the shippers derive it from the path. */
export function platformOfCluster(cluster: string): Platform {
  return cluster === 'vm-fleet' ? 'vm' : 'kubernetes';
}
