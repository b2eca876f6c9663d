/**
 * Cilium Hubble flows as JSON (cilium/cilium api/v1/flow/flow.proto) in the three envelopes seen:
 * `hubble observe -o jsonpb` `{"flow":{...}}`, the exporter file `{"flow":{...},"node_name":..,"time":..}`
 * and legacy `-o json` (the bare flow). Hubble flows say nothing about TLS: mtls is unknown/none.
 */
import type { AccessRecord } from '../schema';
import type { Profile } from './types';
import { workloadFromPod } from './identity';
import { hasJsonKey, looksLikeJsonObject, parseJsonObject } from './json-line';
import { labelFormat } from './logql-templates';
import { blankRecord, fillFromContext } from './record';
import { failure } from './result';
import { LineError, numberValue, pathOfUri, textValue, utcTimestamp } from './values';

type Obj = Record<string, unknown>;

function obj(value: unknown, field: string): Obj | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new LineError(`field ${field}: expected an object`);
  }
  return value as Obj;
}

// flow.proto Verdict enum, for encoders that print numbers.
const VERDICTS = ['VERDICT_UNKNOWN', 'FORWARDED', 'DROPPED', 'ERROR', 'AUDIT', 'REDIRECTED', 'TRACED', 'TRANSLATED'];
// Drop reasons that are policy decisions (cilium bpf/lib/common.h): DROP_POLICY 133,
// DROP_POLICY_DENY 181 (deny rule), DROP_POLICY_AUTH_REQUIRED 189 (mutual auth missing).
const POLICY_DROP_CODES = new Set([133, 181, 189]);
const POLICY_DROP_NAMES = new Set(['POLICY_DENIED', 'POLICY_DENY', 'AUTH_REQUIRED']);
const MESSAGE_TYPE_DROP = 1;

function verdictOf(flow: Obj): string | null {
  const v = flow.verdict;
  if (typeof v === 'number') {
    return VERDICTS[v] ?? null;
  }
  return textValue(v, 'verdict');
}

function isPolicyDrop(flow: Obj): boolean {
  const desc = flow.drop_reason_desc;
  if (typeof desc === 'string' && POLICY_DROP_NAMES.has(desc)) {
    return true;
  }
  if (typeof flow.drop_reason === 'number' && POLICY_DROP_CODES.has(flow.drop_reason)) {
    return true;
  }
  const event = obj(flow.event_type, 'event_type');
  return (
    event !== null &&
    event.type === MESSAGE_TYPE_DROP &&
    typeof event.sub_type === 'number' &&
    POLICY_DROP_CODES.has(event.sub_type)
  );
}

/** `namespace/name` of the first policy that denied the flow, when Hubble names one. */
function denyingPolicy(flow: Obj): string | null {
  for (const key of ['ingress_denied_by', 'egress_denied_by']) {
    const list = flow[key];
    if (Array.isArray(list) && list.length > 0) {
      const policy = obj(list[0], key);
      const name = policy ? textValue(policy.name, `${key}.name`) : null;
      if (name !== null) {
        const ns = textValue(policy?.namespace, `${key}.namespace`);
        return ns === null ? name : `${ns}/${name}`;
      }
    }
  }
  return null;
}

interface Endpoint {
  workload: string | null;
  namespace: string | null;
  identity: string | null;
}

function endpoint(value: unknown, field: string): Endpoint {
  const e = obj(value, field);
  if (e === null) {
    return { workload: null, namespace: null, identity: null };
  }
  let workload: string | null = null;
  if (Array.isArray(e.workloads) && e.workloads.length > 0) {
    workload = textValue(obj(e.workloads[0], `${field}.workloads`)?.name, `${field}.workloads.name`);
  }
  const pod = textValue(e.pod_name, `${field}.pod_name`);
  workload ??= pod === null ? null : workloadFromPod(pod);
  // The numeric Cilium security identity is the mesh identity of the endpoint (2 = world, 1 = host).
  const identity = numberValue(e.identity, `${field}.identity`);
  return {
    workload,
    namespace: textValue(e.namespace, `${field}.namespace`),
    identity: identity === null ? null : String(identity),
  };
}

function address(ip: string | null, port: number | null): string | null {
  if (ip === null) {
    return null;
  }
  if (port === null) {
    return ip;
  }
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function layer4(flow: Obj): { protocol: string | null; srcPort: number | null; dstPort: number | null } {
  const l4 = obj(flow.l4, 'l4');
  if (l4 === null) {
    return { protocol: null, srcPort: null, dstPort: null };
  }
  for (const protocol of ['TCP', 'UDP', 'SCTP']) {
    const p = obj(l4[protocol], `l4.${protocol}`);
    if (p !== null) {
      return {
        protocol,
        srcPort: numberValue(p.source_port, `l4.${protocol}.source_port`),
        dstPort: numberValue(p.destination_port, `l4.${protocol}.destination_port`),
      };
    }
  }
  for (const protocol of ['ICMPv4', 'ICMPv6']) {
    if (protocol in l4) {
      return { protocol, srcPort: null, dstPort: null };
    }
  }
  return { protocol: null, srcPort: null, dstPort: null };
}

function unwrap(o: Obj): { flow: Obj; envelope: Obj | null } {
  const inner = obj(o.flow, 'flow');
  if (inner !== null) {
    return { flow: inner, envelope: o };
  }
  if ('verdict' in o || 'IP' in o || 'l4' in o || 'event_type' in o) {
    return { flow: o, envelope: null };
  }
  throw new LineError('not a Hubble flow: no "flow" envelope and no verdict/IP/l4 keys');
}

function hubbleRecord(o: Obj): AccessRecord {
  const { flow, envelope } = unwrap(o);
  const r = blankRecord('hubble-json', 'cilium');
  r.timestamp = utcTimestamp(flow.time ?? envelope?.time, 'time');
  const direction = textValue(flow.traffic_direction, 'traffic_direction');
  r.direction = direction === 'INGRESS' ? 'inbound' : direction === 'EGRESS' ? 'outbound' : 'unknown';

  const ip = obj(flow.IP, 'IP');
  const l4 = layer4(flow);
  let src = endpoint(flow.source, 'source');
  let dst = endpoint(flow.destination, 'destination');
  let srcAddress = address(textValue(ip?.source, 'IP.source'), l4.srcPort);
  let dstAddress = address(textValue(ip?.destination, 'IP.destination'), l4.dstPort);
  let dstPort = l4.dstPort;
  let srcService = obj(flow.source_service, 'source_service');
  let dstService = obj(flow.destination_service, 'destination_service');
  if (flow.is_reply === true || flow.reply === true) {
    // A reply travels callee → caller; fold it onto the request's edge so topology does not
    // grow a reverse edge.
    [src, dst] = [dst, src];
    [srcAddress, dstAddress] = [dstAddress, srcAddress];
    [srcService, dstService] = [dstService, srcService];
    dstPort = l4.srcPort;
  }
  r.src_workload = src.workload;
  r.src_namespace = src.namespace ?? textValue(srcService?.namespace, 'source_service.namespace');
  r.src_identity = src.identity;
  r.src_address = srcAddress;
  r.dst_workload = dst.workload;
  r.dst_service = textValue(dstService?.name, 'destination_service.name');
  r.dst_namespace = dst.namespace ?? textValue(dstService?.namespace, 'destination_service.namespace');
  r.dst_identity = dst.identity;
  r.dst_address = dstAddress;
  r.dst_port = dstPort;
  r.protocol = l4.protocol;

  const l7 = obj(flow.l7, 'l7');
  const http = l7 === null ? null : obj(l7.http, 'l7.http');
  if (l7 !== null) {
    const latency = numberValue(l7.latency_ns, 'l7.latency_ns');
    r.duration_ms = latency === null ? null : latency / 1e6;
  }
  if (http !== null) {
    r.method = textValue(http.method, 'l7.http.method');
    const url = textValue(http.url, 'l7.http.url');
    r.path = url === null ? null : pathOfUri(url);
    r.protocol = textValue(http.protocol, 'l7.http.protocol') ?? r.protocol;
    const code = numberValue(http.code, 'l7.http.code');
    r.status = code === 0 ? null : code;
  }

  const verdict = verdictOf(flow);
  if (verdict === 'DROPPED' && isPolicyDrop(flow)) {
    r.authz = 'deny';
    r.authz_policy = denyingPolicy(flow);
  } else if (verdict === 'FORWARDED') {
    // Cilium forwards only what its network policy allows (default allow when no policy selects it).
    r.authz = 'allow';
  }
  return r;
}

/**
 * Extracted keys are flattened by `| json` (flow.source.namespace → flow_source_namespace); listing
 * them handles all three envelopes only partly: the bare legacy flow has no `flow.` prefix and is
 * not covered by this stage. Not derivable at query time: dst_workload from pod names (ReplicaSet
 * suffix stripping), reply folding, the denying policy name.
 */
const LOGQL_STAGE = [
  '| json verdict="flow.verdict", drop_reason_desc="flow.drop_reason_desc", traffic_direction="flow.traffic_direction", ' +
    'src_namespace="flow.source.namespace", src_pod="flow.source.pod_name", src_workload="flow.source.workloads[0].name", ' +
    'dst_namespace="flow.destination.namespace", dst_pod="flow.destination.pod_name", dst_workload="flow.destination.workloads[0].name", ' +
    'dst_service="flow.destination_service.name", dst_port="flow.l4.TCP.destination_port", method="flow.l7.http.method", ' +
    'status="flow.l7.http.code", latency_ns="flow.l7.latency_ns"',
  labelFormat({
    direction: `{{ if eq .traffic_direction "INGRESS" }}inbound{{ else if eq .traffic_direction "EGRESS" }}outbound{{ else }}unknown{{ end }}`,
    duration_ms: `{{ if .latency_ns }}{{ divf .latency_ns 1000000 }}{{ end }}`,
    mtls: 'unknown',
    mtls_basis: 'none',
    authz:
      `{{ if and (eq .verdict "DROPPED") (or (eq .drop_reason_desc "POLICY_DENIED") (eq .drop_reason_desc "POLICY_DENY") (eq .drop_reason_desc "AUTH_REQUIRED")) }}deny` +
      `{{ else if eq .verdict "FORWARDED" }}allow{{ else }}unknown{{ end }}`,
  }),
].join(' ');

export const hubbleJson: Profile = {
  name: 'hubble-json',
  mesh: 'cilium',
  detect: (line) =>
    looksLikeJsonObject(line) &&
    (hasJsonKey(line, 'flow') || (hasJsonKey(line, 'verdict') && (hasJsonKey(line, 'IP') || hasJsonKey(line, 'l4')))),
  parse(line, context) {
    try {
      return { ok: true, record: fillFromContext(hubbleRecord(parseJsonObject(line)), context) };
    } catch (error) {
      return failure('hubble-json', error);
    }
  },
  logqlStage: LOGQL_STAGE,
};
