/**
 * Where loggen writes, laid out as a node really has it (loggen/README.md, a contract): the
 * kubelet's `pods/<namespace>_<pod>_<uid>/<container>/0.log` with CRI-framed lines on Kubernetes,
 * and one plain access-log file per dataplane on the VMs. The shippers derive namespace, pod,
 * container and service_name from these paths exactly as Kubernetes discovery would.
 */
import { hashSeed, Rng } from './prng';
import type { LogFormat, MeshName, Platform } from './topology';

/** Platform of a cluster, as the shippers derive it from the path. */
export function platformOfCluster(cluster: string): Platform {
  return cluster === 'vm-fleet' ? 'vm' : 'kubernetes';
}

/** The proxy's container name, as each mesh's injector names it (and promtail.k8s.yaml keeps). */
export const PROXY_CONTAINER: Record<MeshName, string> = {
  istio: 'istio-proxy',
  linkerd: 'linkerd-proxy',
  consul: 'consul-dataplane',
  kuma: 'kuma-sidecar',
};

// Kubernetes draws ReplicaSet hashes and pod-name suffixes from this alphabet (no vowels, no 0/1/3).
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export interface Pod {
  name: string;
  uid: string;
}

/**
 * The one pod of a Deployment: `<workload>-<10-char rs hash>-<5-char suffix>`, so that
 * `workloadFromPod` (src/core/profiles/identity.ts) recovers the workload. Drawn from the
 * workload's place alone, so every run and every process names it the same.
 */
const pods = new Map<string, Pod>();

export function podOf(cluster: string, namespace: string, workload: string): Pod {
  const key = `${cluster}/${namespace}/${workload}`;
  let pod = pods.get(key);
  if (!pod) {
    pod = drawPod(cluster, namespace, workload);
    pods.set(key, pod);
  }
  return pod;
}

function drawPod(cluster: string, namespace: string, workload: string): Pod {
  const rng = new Rng(hashSeed('pod', cluster, namespace, workload));
  const draw = (n: number) => Array.from({ length: n }, () => rng.pick([...SAFE_ALPHABET])).join('');
  const name = `${workload}-${draw(10)}-${draw(5)}`;
  return { name, uid: rng.uuid() };
}

export interface WriterPlace {
  cluster: string;
  platform: Platform;
  mesh: MeshName;
  format: LogFormat;
  namespace: string;
  workload: string;
}

/** The file the writing proxy's lines land in, relative to the output root. */
export function relativeLogPath(w: WriterPlace): string {
  if (w.platform === 'vm') {
    return `${w.cluster}/vms/${w.namespace}/${w.workload}/${w.format}.log`;
  }
  const pod = podOf(w.cluster, w.namespace, w.workload);
  return `${w.cluster}/pods/${w.namespace}_${pod.name}_${pod.uid}/${PROXY_CONTAINER[w.mesh]}/0.log`;
}

/**
 * Go's time.RFC3339Nano, which container runtimes stamp CRI lines with: UTC, the fraction without
 * trailing zeros, none at all on a whole second.
 */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

/** A container's line as the runtime writes it (CRI: time, stream, full-line tag, content). */
export function criLine(timeMs: number, line: string): string {
  return `${rfc3339Nano(timeMs)} stdout F ${line}`;
}

/**
 * The text a generated line has in its file: CRI-framed in a pod's log, as written on a VM and
 * in the API server's audit log (audit.ts), which no container runtime writes.
 */
export function fileLine(l: { platform: Platform; timeMs: number; line: string; logType?: 'audit' }): string {
  return l.platform === 'kubernetes' && l.logType !== 'audit' ? criLine(l.timeMs, l.line) : l.line;
}
