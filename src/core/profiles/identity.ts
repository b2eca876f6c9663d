/** Mesh identities and Kubernetes names: what they say about namespace and workload. */

export interface SpiffeParts {
  trustDomain: string;
  namespace: string | null;
  serviceAccount: string | null;
  /** Consul names the service in its SPIFFE id; Istio and Kuma name the service account. */
  service: string | null;
}

/**
 * `spiffe://<td>/ns/<ns>/sa/<sa>` (Istio, Kuma) or `spiffe://<td>.consul/ns/<ns>/dc/<dc>/svc/<svc>`
 * (Consul). Path segments come in key/value pairs; unknown keys are ignored.
 */
export function parseSpiffe(uri: string): SpiffeParts | null {
  if (!uri.startsWith('spiffe://')) {
    return null;
  }
  const rest = uri.slice('spiffe://'.length);
  const slash = rest.indexOf('/');
  const trustDomain = slash < 0 ? rest : rest.slice(0, slash);
  if (trustDomain === '') {
    return null;
  }
  const parts: SpiffeParts = { trustDomain, namespace: null, serviceAccount: null, service: null };
  const segments = slash < 0 ? [] : rest.slice(slash + 1).split('/');
  for (let i = 0; i + 1 < segments.length; i += 2) {
    const value = segments[i + 1] === '' ? null : segments[i + 1];
    if (segments[i] === 'ns') {
      parts.namespace = value;
    } else if (segments[i] === 'sa') {
      parts.serviceAccount = value;
    } else if (segments[i] === 'svc') {
      parts.service = value;
    }
  }
  return parts;
}

/**
 * The caller a SPIFFE id names: Consul names the service; Istio and Kuma the service account,
 * which names the workload under the meshes' one-account-per-workload guidance. The shared
 * `default` account names nobody.
 */
export function workloadOfSpiffe(parts: SpiffeParts): string | null {
  return parts.service ?? (parts.serviceAccount !== null && parts.serviceAccount !== 'default' ? parts.serviceAccount : null);
}

const LINKERD_MARK = '.serviceaccount.identity.linkerd.';

/** Linkerd `<sa>.<ns>.serviceaccount.identity.linkerd.<trust-domain>` → service account and namespace. */
export function parseLinkerdIdentity(id: string): { serviceAccount: string; namespace: string } | null {
  const mark = id.indexOf(LINKERD_MARK);
  if (mark <= 0) {
    return null;
  }
  const head = id.slice(0, mark);
  const dot = head.lastIndexOf('.');
  if (dot <= 0 || dot === head.length - 1) {
    return null;
  }
  return { serviceAccount: head.slice(0, dot), namespace: head.slice(dot + 1) };
}

// Kubernetes generates ReplicaSet hashes and pod suffixes from this alphabet (no vowels, no 0/1/3),
// so `<deployment>-<hash>-<suffix>` can be told apart from a hand-named pod.
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const DEPLOYMENT_POD = new RegExp(`^(.+)-${SAFE}{6,10}-${SAFE}{5}$`);

/**
 * The workload a pod belongs to: the Deployment name for `<deployment>-<rs-hash>-<suffix>`,
 * otherwise the pod name itself (a bare pod, a StatefulSet replica: better than nothing and not wrong).
 */
export function workloadFromPod(pod: string): string {
  const match = DEPLOYMENT_POD.exec(pod);
  return match ? match[1] : pod;
}
