/**
 * The Kubernetes API server's audit log of each cluster (the policy's `mesh-audit` class,
 * `log_type="audit"`): what the log backend (`--audit-log-path`, kubeadm's
 * /var/log/kubernetes/audit/audit.log) writes, one audit.k8s.io/v1 Event per line at level
 * Metadata, stage ResponseComplete. The mesh control planes and the controllers read and update
 * the cluster all the time, and a person changes a mesh security policy now and then, so the
 * class has lines in every minute, as a real cluster's audit log does.
 *
 * Each minute of a cluster is drawn from its own PRNG seeded by (seed, cluster, minute), so any
 * split of a range gives the same lines, as generate() does for the access logs.
 */
import { hashSeed, Rng } from './prng';
import { SITES, type Site } from './topology';

/** One audit event as written: no container runtime frames it (the API server writes the file). */
export interface AuditLine {
  logType: 'audit';
  cluster: string;
  platform: 'kubernetes';
  line: string;
  /** The event's stageTimestamp (when the response completed): the file is in this order. */
  timeMs: number;
  file: string;
  verb: string;
  username: string;
}

/** Below the output root as below a control-plane node's /var/log (loggen/README.md). */
export const auditLogPath = (cluster: string) => `${cluster}/kubernetes/audit/audit.log`;

interface Caller {
  username: string;
  groups: string[];
  userAgent: string;
  sourceIp: string;
}

interface Request {
  caller: Caller;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  namespace?: string;
  name?: string;
}

const controllerManager: Caller = {
  username: 'system:kube-controller-manager',
  groups: ['system:authenticated'],
  userAgent: 'kube-controller-manager/v1.31.4 (linux/amd64) kubernetes/a78aa47/leader-election',
  sourceIp: '10.0.0.10',
};

/** The mesh's control plane, which watches and lists its own policy resources. */
const CONTROL_PLANE: Record<string, { caller: Caller; reads: Array<Omit<Request, 'caller' | 'verb'>>; changes: Array<Omit<Request, 'caller' | 'verb'>> }> = {
  istio: {
    caller: { username: 'system:serviceaccount:istio-system:istiod', groups: ['system:serviceaccounts', 'system:serviceaccounts:istio-system', 'system:authenticated'], userAgent: 'pilot-discovery/1.24.2', sourceIp: '10.12.0.7' },
    reads: [
      { apiGroup: 'security.istio.io', apiVersion: 'v1', resource: 'peerauthentications' },
      { apiGroup: 'security.istio.io', apiVersion: 'v1', resource: 'authorizationpolicies' },
      { apiGroup: 'networking.istio.io', apiVersion: 'v1', resource: 'destinationrules' },
    ],
    changes: [
      { apiGroup: 'security.istio.io', apiVersion: 'v1', resource: 'peerauthentications', namespace: 'payments', name: 'strict-mtls' },
      { apiGroup: 'security.istio.io', apiVersion: 'v1', resource: 'authorizationpolicies', namespace: 'payments', name: 'deny-from-shop' },
    ],
  },
  linkerd: {
    caller: { username: 'system:serviceaccount:linkerd:linkerd-destination', groups: ['system:serviceaccounts', 'system:serviceaccounts:linkerd', 'system:authenticated'], userAgent: 'linkerd-policy-controller', sourceIp: '10.22.0.9' },
    reads: [
      { apiGroup: 'policy.linkerd.io', apiVersion: 'v1beta3', resource: 'servers' },
      { apiGroup: 'policy.linkerd.io', apiVersion: 'v1alpha1', resource: 'authorizationpolicies' },
      { apiGroup: 'policy.linkerd.io', apiVersion: 'v1alpha1', resource: 'meshtlsauthentications' },
    ],
    changes: [
      { apiGroup: 'policy.linkerd.io', apiVersion: 'v1beta3', resource: 'servers', namespace: 'payments', name: 'payments-api-http' },
      { apiGroup: 'policy.linkerd.io', apiVersion: 'v1alpha1', resource: 'authorizationpolicies', namespace: 'payments', name: 'payments-api-callers' },
    ],
  },
};

const admin: Caller = { username: 'alice@example.com', groups: ['platform-admins', 'system:authenticated'], userAgent: 'kubectl/v1.31.4 (linux/amd64) kubernetes/a78aa47', sourceIp: '192.0.2.24' };

/** A person's change to a mesh security policy, every 6 hours from 03:30 UTC. */
const CHANGE_EVERY_MS = 6 * 3_600_000;
const CHANGE_AT_MS = 3.5 * 3_600_000;
const MINUTE = 60_000;

const GROUP_PATH = (r: Request) => `/apis/${r.apiGroup}/${r.apiVersion}`;

function requestUri(r: Request): string {
  const ns = r.namespace ? `/namespaces/${r.namespace}` : '';
  const name = r.name ? `/${r.name}` : '';
  const query = r.verb === 'watch' ? '?allowWatchBookmarks=true&resourceVersion=0&watch=true' : r.verb === 'patch' ? '?fieldManager=kubectl-edit' : '';
  return `${GROUP_PATH(r)}${ns}/${r.resource}${name}${query}`;
}

/** metav1.MicroTime as the API server marshals it: RFC 3339, always six fraction digits, UTC. */
export function microTime(ms: number, micros = 0): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.${String((ms % 1000) * 1000 + micros).padStart(6, '0')}Z`;
}

function event(rng: Rng, r: Request, cluster: string, receivedMs: number, tookMs: number): AuditLine {
  const stageMs = receivedMs + tookMs;
  const objectRef: Record<string, string> = { resource: r.resource, ...(r.namespace ? { namespace: r.namespace } : {}), ...(r.name ? { name: r.name } : {}), apiGroup: r.apiGroup, apiVersion: r.apiVersion };
  // Field order as the API server's encoder writes an Event.
  const body = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: rng.uuid(),
    stage: 'ResponseComplete',
    requestURI: requestUri(r),
    verb: r.verb,
    user: { username: r.caller.username, groups: r.caller.groups },
    sourceIPs: [r.caller.sourceIp],
    userAgent: r.caller.userAgent,
    objectRef,
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: microTime(receivedMs, rng.int(0, 999)),
    stageTimestamp: microTime(stageMs, rng.int(0, 999)),
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': `RBAC: allowed by ClusterRoleBinding "${bindingOf(r.caller)}"` },
  };
  return { logType: 'audit', cluster, platform: 'kubernetes', line: JSON.stringify(body), timeMs: stageMs, file: auditLogPath(cluster), verb: r.verb, username: r.caller.username };
}

function bindingOf(c: Caller): string {
  return c === admin ? 'platform-admins' : c === controllerManager ? 'system:kube-controller-manager' : c.username.split(':').pop()!;
}

/** The events of one cluster's minute, in stageTimestamp order. */
function minuteOfAudit(seed: number, site: Site, minute: number): AuditLine[] {
  const plane = CONTROL_PLANE[site.mesh];
  const rng = new Rng(hashSeed(seed, 'audit', site.cluster, minute));
  const startMs = minute * MINUTE;
  const out: AuditLine[] = [];
  // Leader election renews its lease every 2 s in kube-controller-manager; the log keeps one in 10 s here.
  for (let s = 0; s < 60; s += 10) {
    out.push(event(rng, { caller: controllerManager, verb: 'update', apiGroup: 'coordination.k8s.io', apiVersion: 'v1', resource: 'leases', namespace: 'kube-system', name: 'kube-controller-manager' }, site.cluster, startMs + s * 1000 + rng.int(0, 900), rng.int(2, 9)));
  }
  // The control plane re-lists a policy resource about once a minute (informer resyncs and watch restarts).
  const read = rng.pick(plane.reads);
  out.push(event(rng, { caller: plane.caller, verb: rng.chance(0.5) ? 'list' : 'watch', ...read }, site.cluster, startMs + rng.int(0, 59_000), rng.int(3, 40)));
  if ((startMs - CHANGE_AT_MS) % CHANGE_EVERY_MS === 0) {
    out.push(event(rng, { caller: admin, verb: 'patch', ...rng.pick(plane.changes) }, site.cluster, startMs + rng.int(0, 30_000), rng.int(8, 30)));
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

/** Every Kubernetes cluster's audit events in [start, start + durationMs), in time order. */
export function* generateAudit(options: { seed: number; start: number; durationMs: number; sites?: readonly Site[] }): Generator<AuditLine> {
  const sites = (options.sites ?? SITES).filter((s) => s.platform === 'kubernetes' && CONTROL_PLANE[s.mesh]);
  const end = options.start + options.durationMs;
  for (let minute = Math.floor(options.start / MINUTE); minute * MINUTE < end; minute++) {
    const lines = sites.flatMap((site) => minuteOfAudit(options.seed, site, minute)).sort((a, b) => a.timeMs - b.timeMs);
    for (const line of lines) {
      if (line.timeMs >= options.start && line.timeMs < end) {
        yield line;
      }
    }
  }
}
