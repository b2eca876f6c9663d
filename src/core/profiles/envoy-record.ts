/**
 * The facts every Envoy-based log shares (Istio text/JSON, Consul, plain Envoy), derived once from
 * the Envoy command-operator values whatever layout carried them.
 */
import type { AccessRecord, Mesh, ProfileName } from '../schema';
import type { LineContext } from './types';
import { parseConsulName, parseIstioSni, parseUpstreamCluster } from './cluster';
import { parseSpiffe, workloadOfSpiffe } from './identity';
import { blankRecord, fillFromContext, splitFlags } from './record';
import { portOf } from './values';

/**
 * Envoy operator values, already cleaned: null = the log printed nothing ("-", "", null).
 * `undefined` = the format has no such operator, which matters for the peer SANs: a configured
 * but empty SAN is evidence, an absent operator is not.
 */
export interface EnvoyFields {
  start_time: string | null;
  method: string | null;
  path: string | null;
  protocol: string | null;
  response_code: number | null;
  response_flags: string | null;
  response_code_details?: string | null;
  connection_termination_details?: string | null;
  bytes_received: number | null;
  bytes_sent: number | null;
  duration: number | null;
  request_id: string | null;
  trace_id?: string | null;
  upstream_host: string | null;
  upstream_cluster?: string | null;
  downstream_local_address?: string | null;
  downstream_remote_address?: string | null;
  requested_server_name?: string | null;
  downstream_peer_uri_san?: string | null;
  upstream_peer_uri_san?: string | null;
}

const RBAC_DENIED = 'rbac_access_denied_matched_policy[';

/**
 * The policy text inside `rbac_access_denied_matched_policy[...]`. `none` is kept as "none": Envoy
 * prints it when no ALLOW policy matched (a default deny), which an auditor needs to tell apart from
 * a named DENY policy (`ns[<ns>]-policy[<name>]-rule[<i>]`); no Istio policy can be named "none" in
 * that form, so the value is unambiguous.
 */
function rbacPolicy(details: string | null | undefined): string | null {
  if (!details || !details.startsWith(RBAC_DENIED)) {
    return null;
  }
  const inner = details.endsWith(']') ? details.slice(RBAC_DENIED.length, -1) : details.slice(RBAC_DENIED.length);
  return inner === '' ? 'none' : inner;
}

export function envoyRecord(f: EnvoyFields, format: ProfileName, mesh: Mesh, context?: LineContext): AccessRecord {
  const r = blankRecord(format, mesh);
  r.timestamp = f.start_time;
  const cluster = parseUpstreamCluster(f.upstream_cluster ?? null);
  r.direction = cluster?.direction ?? 'unknown';

  // Envoy logs a TCP proxy connection with the request line "- - -" and response code 0.
  const tcp = f.method === null && f.path === null && f.protocol === null;
  r.method = f.method;
  r.path = f.path;
  r.protocol = tcp ? 'TCP' : f.protocol;
  // Envoy's 0 on an HTTP line (no response sent: downstream disconnect, reset) is kept, not nulled:
  // it is what happened, and error-rate queries need to see those requests.
  r.status = tcp ? null : f.response_code;
  r.response_flags = splitFlags(f.response_flags);
  r.duration_ms = f.duration;
  r.bytes_in = f.bytes_received;
  r.bytes_out = f.bytes_sent;
  r.request_id = f.request_id;
  r.trace_id = f.trace_id ?? null;
  r.src_address = f.downstream_remote_address ?? null;

  const sni = f.requested_server_name ?? null;
  if (r.direction === 'inbound') {
    // The upstream host of an inbound line is the local app (127.0.0.1); the callee's address is
    // the one the caller connected to.
    r.dst_address = f.downstream_local_address ?? null;
    const istioSni = parseIstioSni(sni);
    const named = cluster?.service ? cluster : (istioSni ?? (sni ? parseConsulName(sni) : null));
    r.dst_service = named?.service ?? null;
    r.dst_namespace = named?.namespace ?? null;
    r.dst_port = cluster?.port ?? istioSni?.port ?? portOf(r.dst_address);
  } else {
    r.dst_address = f.upstream_host;
    r.dst_service = cluster?.service ?? null;
    r.dst_namespace = cluster?.namespace ?? null;
    r.dst_port = cluster?.port ?? portOf(f.upstream_host);
  }

  const downSan = f.downstream_peer_uri_san;
  const upSan = f.upstream_peer_uri_san;
  r.src_identity = downSan ?? null;
  r.dst_identity = upSan ?? null;
  const srcSpiffe = downSan ? parseSpiffe(downSan) : null;
  const dstSpiffe = upSan ? parseSpiffe(upSan) : null;
  r.src_namespace = srcSpiffe?.namespace ?? null;
  r.src_workload = srcSpiffe ? workloadOfSpiffe(srcSpiffe) : null;
  r.dst_namespace ??= dstSpiffe?.namespace ?? null;
  if (dstSpiffe?.service) {
    r.dst_service ??= dstSpiffe.service;
  }

  decideMtls(r, sni, downSan, upSan);
  decideAuthz(r, f);
  return fillFromContext(r, context);
}

function decideMtls(
  r: AccessRecord,
  sni: string | null,
  downSan: string | null | undefined,
  upSan: string | null | undefined
): void {
  if (r.direction === 'inbound') {
    if (downSan !== undefined) {
      // The format logs the caller's certificate: present is proof of mTLS, empty is proof there was none.
      r.mtls = downSan === null ? 'plaintext' : 'mtls';
      r.mtls_basis = 'peer-identity';
    } else if (sni !== null && (sni.startsWith('outbound_.') || sni.endsWith('.consul'))) {
      // Heuristic: only a mesh client originating mTLS sets the mesh's SNI. PERMISSIVE mode
      // accepts plaintext too, so this is inference, not proof.
      r.mtls = 'mtls';
      r.mtls_basis = 'sni';
    } else if (sni === null) {
      // Heuristic: no SNI on an inbound sidecar line means the caller did not start the mesh TLS
      // handshake (a client without a sidecar, a kubelet probe) - plaintext, by inference.
      r.mtls = 'plaintext';
      r.mtls_basis = 'sni';
    }
    // Any other SNI is some other TLS (e.g. passthrough): not evidence either way.
  } else if (upSan) {
    r.mtls = 'mtls';
    r.mtls_basis = 'peer-identity';
  } else if (r.direction === 'unknown' && downSan) {
    r.mtls = 'mtls';
    r.mtls_basis = 'peer-identity';
  }
  // Outbound without the upstream SAN: the line says nothing about the TLS to the upstream.
}

function decideAuthz(r: AccessRecord, f: EnvoyFields): void {
  const policy = rbacPolicy(f.response_code_details) ?? rbacPolicy(f.connection_termination_details);
  if (policy !== null) {
    r.authz = 'deny';
    r.authz_policy = policy;
    return;
  }
  if (r.response_flags.includes('UAEX') || f.response_code_details === 'ext_authz_denied') {
    r.authz = 'deny';
    return;
  }
  const status = r.status;
  if (status !== null && status >= 200 && status < 400) {
    // Allowed means the proxy passed the request to the upstream. With details we know that
    // ("via_upstream"); without them (older formats) an upstream host that answered implies it.
    const details = f.response_code_details;
    if (details === 'via_upstream' || (!details && f.upstream_host !== null)) {
      r.authz = 'allow';
    }
  }
  // 4xx/5xx from the upstream may be the application's own refusal: not the mesh's decision.
}
