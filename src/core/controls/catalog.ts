/**
 * A minimal SOC 2 control catalog over normalised mesh access logs, as data
 * (research: shared/research/soc2.md §1.4 evidence per criterion, §2.3 catalog design, §7).
 * Adding a control means adding an entry here, never code.
 */
import type { FieldFilter } from '../queries/field-filter';
import type { LoggingPolicy } from '../policy';
import type { ControlDefinition } from './types';

/**
 * Lines written by the callee's proxy (or by a proxy that does not say which side it is on). Both
 * proxies of a meshed hop log the request; the callee's line is the one that knows the TLS state
 * and proves the callee itself is logging.
 */
const CALLEE_REPORTS: FieldFilter = { field: 'direction', isNot: 'outbound' };

/** Plaintext requests that were refused: CC6.6's measure and its evidence population alike. */
const REFUSED_PLAINTEXT: readonly FieldFilter[] = [
  { field: 'mtls', is: 'plaintext' },
  {
    anyOf: [
      { field: 'authz', is: 'deny' },
      { field: 'status', compare: '==', value: 401 },
      { field: 'status', compare: '==', value: 403 },
      { field: 'status', compare: '==', value: 429 },
    ],
  },
];

/** HTTP responses (TCP requests have no status). */
const HTTP_RESPONSES: FieldFilter = { field: 'status', compare: '>', value: 0 };
const SERVER_ERRORS: FieldFilter = { field: 'status', compare: '>=', value: 500 };
/** Responses turned away for capacity: rate limited (429) or unavailable (503). */
const TURNED_AWAY: FieldFilter = {
  anyOf: [
    { field: 'status', compare: '==', value: 429 },
    { field: 'status', compare: '==', value: 503 },
  ],
};

/** A request into a service policy.allowedCallers lists, from a caller its list does not name. */
const UNEXPECTED_CALLER: FieldFilter = { callerNotIn: 'allowedCallers' };
/** Refused by the mesh's authorization or the service: denied, unauthenticated or forbidden. */
const REFUSED: FieldFilter = {
  anyOf: [
    { field: 'authz', is: 'deny' },
    { field: 'status', compare: '==', value: 401 },
    { field: 'status', compare: '==', value: 403 },
  ],
};

export const CONTROL_CATALOG: readonly ControlDefinition[] = [
  {
    id: 'CC6.7-mtls',
    criterion: 'CC6.7',
    title: 'Service-to-service traffic into strict namespaces uses mTLS',
    description:
      'CC6.7 asks that information is protected during transmission. Every request into a namespace ' +
      "the policy lists as STRICT must be mutually authenticated and encrypted. The callee's proxy " +
      "reports what it accepted (the caller's line of the same request rarely knows the TLS state), " +
      'and requests whose mTLS state it does not know count against the share: they are not proof. ' +
      'Passes when the share of mTLS ' +
      'requests reaches thresholds.minMtlsShare; the evidence logs are the requests that were not mTLS.',
    measure: 'share of requests into policy.strictMtlsNamespaces with mtls="mtls" (0..1)',
    evidence: {
      kind: 'share',
      match: [{ field: 'mtls', is: 'mtls' }],
      scope: [{ field: 'dst_namespace', inPolicyList: 'strictMtlsNamespaces' }, CALLEE_REPORTS],
    },
    pass: { atLeast: { policy: 'minMtlsShare' } },
    evidenceLogs: [
      { field: 'dst_namespace', inPolicyList: 'strictMtlsNamespaces' },
      CALLEE_REPORTS,
      { field: 'mtls', isNot: 'mtls' },
    ],
  },
  {
    id: 'CC6.1-authz-denials',
    criterion: 'CC6.1',
    title: 'Authorization denials by mesh policy are recorded',
    description:
      'CC6.1 asks for logical access security over protected assets, and auditors expect both allowed ' +
      'and denied access attempts to be logged. The mesh authorization layer (RBAC, ext_authz) records ' +
      'each denial with the policy that matched. Passes when access logs for the window exist, so the ' +
      'denial count (zero is a legitimate count) is backed by data; the evidence logs are the denied ' +
      'requests, the population an auditor samples. Spikes in denials are an anomaly alert (CC7.2).',
    measure: 'number of requests with authz="deny" in the window (0 when there was traffic but no denial)',
    evidence: { kind: 'count', match: [{ field: 'authz', is: 'deny' }] },
    pass: { atLeast: { value: 0 } },
    evidenceLogs: [{ field: 'authz', is: 'deny' }],
  },
  {
    id: 'CC6.6-boundary-denials',
    criterion: 'CC6.6',
    title: 'Requests from outside the mesh trust boundary that were refused are recorded',
    description:
      'CC6.6 asks for logical access measures against threats from outside the system boundary. ' +
      'Requests known to arrive in plaintext carry no mesh identity: they come from outside the mesh ' +
      'trust boundary (external callers at a gateway, workloads without a sidecar). Those that were ' +
      'refused (authz deny, 401, 403 or 429) are boundary protection at work. Requests whose mTLS ' +
      'state is unknown are left out rather than guessed. Passes when access logs for the window ' +
      'exist, so the count is backed by data; the evidence logs are the refused requests.',
    measure: 'number of refused plaintext requests in the window (0 when there was traffic but none)',
    evidence: {
      kind: 'count',
      match: REFUSED_PLAINTEXT,
    },
    pass: { atLeast: { value: 0 } },
    evidenceLogs: REFUSED_PLAINTEXT,
  },
  {
    id: 'CC7.2-error-anomaly',
    criterion: 'CC7.2',
    title: 'No service shows an anomalous server-error rate',
    description:
      'CC7.2 asks that system components are monitored for anomalies. For each destination service the ' +
      'share of HTTP responses with status >= 500 is computed over the window; the worst service is ' +
      'the measured value. Passes when it stays at or below thresholds.maxErrorShare. TCP requests ' +
      '(no status) are left out. The evidence logs are the 5xx responses.',
    measure: 'highest per-service share of HTTP responses with status >= 500 (0..1)',
    evidence: {
      kind: 'share',
      match: [SERVER_ERRORS],
      scope: [HTTP_RESPONSES],
      groupBy: ['dst_service'],
      reduce: 'max',
    },
    pass: { atMost: { policy: 'maxErrorShare' } },
    evidenceLogs: [SERVER_ERRORS],
  },
  {
    id: 'CC7.2-baseline-anomalies',
    criterion: 'CC7.2',
    title: 'No service departs from its own baseline',
    description:
      'CC7.2 asks that system components are monitored for anomalies that indicate malicious acts, ' +
      'errors or failures; a fixed threshold (CC7.2-error-anomaly) misses what is normal for one ' +
      'service and not another. Each callee, and each edge into it, is compared with itself over ' +
      'the window in 10-minute buckets: a 5xx share far above its median (4 robust deviations and ' +
      '2 points above it, with 20 requests and 5 failures in the bucket) is a finding, and so is a ' +
      'bucket in which a service that usually logs wrote nothing on its own proxy; each with its ' +
      'numbers as the reason. Passes when there is none; a window of fewer than 3 buckets holds no ' +
      'baseline (no evidence). The evidence is the table of findings.',
    measure: 'number of findings: (service or edge, 10-minute bucket) pairs far from its own baseline',
    evidence: { kind: 'anomalies' },
    pass: { atMost: { value: 0 } },
    evidenceLogs: [],
  },
  {
    id: 'CC7.2-log-coverage',
    criterion: 'CC7.2',
    title: 'Every required service is shipping access logs',
    description:
      'CC7.2 includes monitoring the detection tooling itself: a log source that went silent is a gap ' +
      'in monitoring. Each service in policy.requiredServices must have logged at least one inbound ' +
      'request itself (as dst_service, on its own proxy) within the last thresholds.maxSilenceMinutes. Passes only when all of ' +
      'them did; a policy with no required services gives no evidence. The evidence logs are the ' +
      'requests of the required services.',
    measure: 'share of policy.requiredServices with at least one request in the last maxSilenceMinutes (0..1)',
    evidence: {
      kind: 'coverage',
      field: 'dst_service',
      list: 'requiredServices',
      windowMinutes: 'maxSilenceMinutes',
      // Only the service's own proxy proves it logs: its callers keep naming it while it is silent.
      reportedBy: [CALLEE_REPORTS],
    },
    pass: { atLeast: { value: 1 } },
    evidenceLogs: [{ field: 'dst_service', inPolicyList: 'requiredServices' }],
  },
  {
    id: 'CC4.1-logging-continuity',
    criterion: 'CC4.1',
    title: 'Every required service logged throughout the window',
    description:
      'CC4.1 asks for ongoing evaluations that show the components of internal control are present ' +
      'and functioning; access logs are the monitoring component here, so they must have been there ' +
      'all along, not only now (CC7.2-log-coverage checks the last thresholds.maxSilenceMinutes). ' +
      'The window is cut into thresholds.maxSilenceMinutes-long buckets aligned to multiples of it; ' +
      'each instance of a service in policy.requiredServices (per cluster and namespace) must have ' +
      'logged at least one request on its own proxy in every whole bucket. A required service that ' +
      'logged nowhere counts as silent throughout. Passes only when no bucket is silent; the reason ' +
      'lists the silent buckets. The evidence logs are the requests of the required services.',
    measure:
      'share of (required service instance, maxSilenceMinutes bucket) pairs of the window in which it logged (0..1)',
    evidence: {
      kind: 'continuity',
      field: 'dst_service',
      list: 'requiredServices',
      bucketMinutes: 'maxSilenceMinutes',
      reportedBy: [CALLEE_REPORTS],
    },
    pass: { atLeast: { value: 1 } },
    evidenceLogs: [{ field: 'dst_service', inPolicyList: 'requiredServices' }],
  },
  {
    id: 'CC6.8-unexpected-callers',
    criterion: 'CC6.8',
    title: 'No service is called by a workload outside its allow-list',
    description:
      'CC6.8 asks for controls that prevent or detect unauthorized or malicious software. A workload ' +
      'calling a service it has no business with (a compromised pod probing payments, a job nobody ' +
      'registered) shows in the access logs as a caller that policy.allowedCallers does not list for ' +
      'that service. Every request into a listed service from another caller counts, and so does ' +
      'every request whose caller the logs cannot name (no proxy on the caller, no identity on the ' +
      'line): it is no proof of an allowed caller. Passes when there are none; no request into the ' +
      'listed services at all is no evidence. Services the policy does not list are not checked. ' +
      'The evidence logs are the unexpected requests.',
    measure:
      'number of requests into policy.allowedCallers services from callers not on their list (0 when there was traffic but none)',
    evidence: {
      kind: 'count',
      match: [UNEXPECTED_CALLER],
      scope: [{ field: 'dst_service', inPolicyList: 'allowedCallers' }],
    },
    pass: { atMost: { value: 0 } },
    evidenceLogs: [UNEXPECTED_CALLER],
  },
  {
    id: 'CC6.3-least-privilege',
    criterion: 'CC6.3',
    title: "Callers outside a service's allow-list are refused",
    description:
      'CC6.3 asks that access is authorized by role with least privilege in mind. policy.allowedCallers ' +
      'is that design for service-to-service access: the callers each listed service needs. The mesh ' +
      'enforces it only if requests from anyone else are refused (authz deny, 401 or 403). Of the ' +
      'requests CC6.8 finds unexpected, the share refused is the measured value, as each proxy ' +
      'logged them; passes only when all of them were. No unexpected request is no evidence (CC6.8 ' +
      'passes then). The evidence logs are the unexpected requests that got through.',
    measure: 'share of requests from callers outside policy.allowedCallers that were refused (0..1)',
    evidence: { kind: 'share', match: [REFUSED], scope: [UNEXPECTED_CALLER] },
    pass: { atLeast: { value: 1 } },
    evidenceLogs: [UNEXPECTED_CALLER, { field: 'authz', isNot: 'deny' }, { field: 'status', isNoneOf: ['401', '403'] }],
  },
  {
    id: 'CC7.1-new-edges',
    criterion: 'CC7.1',
    title: 'No caller → callee edge appeared that the week before did not have',
    description:
      'CC7.1 asks that changes which could introduce vulnerabilities are detected. In a mesh a new ' +
      'edge is such a change: a new dependency, a new or compromised workload calling something it ' +
      'never called. Every (cluster, caller, callee) edge with requests in the window is compared ' +
      'with the 7 days before the window; an edge without a request there is new, and the reason ' +
      'lists each for review. Passes when there is none. Without any access log in those 7 days ' +
      'nothing can be called new: no evidence. The evidence is the table of new edges.',
    measure: 'number of caller → callee edges with requests in the window and none in the 7 days before it',
    evidence: { kind: 'new-edges', baselineDays: 7 },
    pass: { atMost: { value: 0 } },
    evidenceLogs: [],
  },
  {
    id: 'A1.1-capacity',
    criterion: 'A1.1',
    title: 'No service turns requests away for lack of capacity',
    description:
      'A1.1 asks that current processing capacity is monitored and managed against demand. A ' +
      'response 429 (Too Many Requests: a rate limit) or 503 (Service Unavailable: overload, no ' +
      'healthy endpoint, a tripped circuit breaker) is a request the system had no capacity for. ' +
      'For each destination service the share of its HTTP responses that were 429 or 503 is ' +
      'computed over the window; the worst service is the measured value. Passes when it stays at ' +
      'or below thresholds.maxUnavailableShare. Responses are counted as each proxy logged them; ' +
      'TCP requests (no status) are left out. The evidence logs are the 429 and 503 responses.',
    measure: 'highest per-service share of HTTP responses with status 429 or 503 (0..1)',
    evidence: { kind: 'share', match: [TURNED_AWAY], scope: [HTTP_RESPONSES], groupBy: ['dst_service'], reduce: 'max' },
    pass: { atMost: { policy: 'maxUnavailableShare' } },
    evidenceLogs: [TURNED_AWAY],
  },
  {
    id: 'A1.2-availability',
    criterion: 'A1.2',
    title: 'Every service meets its availability objective',
    description:
      'A1.2 asks that the infrastructure and software behind the system are monitored so that ' +
      "availability commitments are met. A service's availability is its share of HTTP responses " +
      'that are not server errors (status < 500) over the window; the lowest of every destination ' +
      'service is the measured value. Passes when it reaches thresholds.minAvailability. Responses ' +
      'are counted as each proxy logged them (a 503 that never reached the callee only its caller ' +
      'logs); TCP requests (no status) are left out. The evidence logs are the 5xx responses.',
    measure: 'lowest per-service share of HTTP responses with status < 500 (0..1)',
    evidence: {
      kind: 'share',
      match: [{ field: 'status', compare: '<', value: 500 }],
      scope: [HTTP_RESPONSES],
      groupBy: ['dst_service'],
      reduce: 'min',
    },
    pass: { atLeast: { policy: 'minAvailability' } },
    evidenceLogs: [SERVER_ERRORS],
  },
  {
    id: 'C1.1-retention-kept',
    criterion: 'C1.1',
    title: 'Every log class is kept as long as the policy requires',
    description:
      "C1.1 asks that confidential information is identified and retained to meet the entity's " +
      "objectives; audit evidence must outlive the audit. For each class in policy.logClasses, Loki's " +
      'configured retention (its retention rules, resolved as the compactor does) must reach the ' +
      "required days, and Loki's index must hold data on every day of the range. Fails when a class " +
      'is configured shorter than required or has days without data; no evidence when the range is ' +
      "shorter than a requirement (widen it to prove it) or Loki's configured retention cannot be " +
      'read. The evidence is the class table (the retention panel), not log lines.',
    measure: 'share of policy.logClasses that meet their retention (0..1)',
    evidence: { kind: 'retention', aspect: 'kept' },
    pass: { atLeast: { value: 1 } },
    evidenceLogs: [],
  },
  {
    id: 'C1.2-retention-disposed',
    criterion: 'C1.2',
    title: 'Loki disposes of every log class after a finite period',
    description:
      "C1.2 asks that confidential information is disposed of to meet the entity's objectives. Access " +
      'logs carry addresses, identities and paths; keeping them forever is a finding. Loki deletes ' +
      "only when its compactor runs retention (compactor.retention_enabled, read from Loki's /config) " +
      "and a class's resolved retention period is finite. Passes when both hold for every class; " +
      'fails when the compactor deletes nothing or a class is kept forever; no evidence when either ' +
      'cannot be read (a hosted Loki may not expose /config). The evidence is the class table.',
    measure: 'share of policy.logClasses that Loki deletes after a finite period (0..1)',
    evidence: { kind: 'retention', aspect: 'disposed' },
    pass: { atLeast: { value: 1 } },
    evidenceLogs: [],
  },
];

export const CONTROL_IDS: readonly string[] = CONTROL_CATALOG.map((control) => control.id);

/** The catalog and the policy's own controls (policy.controls, checked by core/policy-read.ts). */
export function controlsOf(policy?: Pick<LoggingPolicy, 'controls'>): readonly ControlDefinition[] {
  return policy && policy.controls.length > 0 ? [...CONTROL_CATALOG, ...policy.controls] : CONTROL_CATALOG;
}

/** The control with this id, in the catalog or the policy's own controls, or undefined. */
export function getControl(id: string, policy?: Pick<LoggingPolicy, 'controls'>): ControlDefinition | undefined {
  return controlsOf(policy).find((control) => control.id === id);
}
