/**
 * Facts shared by Linkerd's two access-log formats. Linkerd logs from the INBOUND proxy only (the
 * access-log layer sits in linkerd2-proxy's inbound HTTP server stack), so the logging pod is the
 * callee and `client.id` is the caller's TLS-verified identity.
 */
import type { AccessRecord, ProfileName } from '../schema';
import type { LineContext } from './types';
import { serviceFromHost } from './cluster';
import { parseLinkerdIdentity } from './identity';
import { blankRecord, fillFromContext, writerFromLabels } from './record';
import { hostOf, isIpLiteral, portOf } from './values';

export interface LinkerdFields {
  timestamp: string | null;
  clientAddr: string | null;
  clientId: string | null;
  /** Host header or absolute-URI authority: what the caller asked for. */
  authority: string | null;
  method: string | null;
  path: string | null;
  protocol: string | null;
  status: number | null;
  durationMs: number | null;
  bytesIn: number | null;
  bytesOut: number | null;
  traceId: string | null;
}

export function linkerdRecord(f: LinkerdFields, format: ProfileName, context?: LineContext): AccessRecord {
  const r = blankRecord(format, 'linkerd');
  r.timestamp = f.timestamp;
  r.direction = 'inbound';
  r.src_address = f.clientAddr;
  r.method = f.method;
  r.path = f.path;
  r.protocol = f.protocol;
  r.status = f.status;
  r.duration_ms = f.durationMs;
  r.bytes_in = f.bytesIn;
  r.bytes_out = f.bytesOut;
  r.trace_id = f.traceId;

  if (f.authority !== null) {
    r.dst_port = portOf(f.authority);
    const host = hostOf(f.authority);
    // An IP names no service; a short or `.svc.` name is a Kubernetes Service, and a Service only
    // selects pods in its own namespace, which the stream labels supply. `<service>.<namespace>`
    // (`voting-svc.emojivoto:8080`) is one too when the namespace is the writer's own: Linkerd
    // logs on the callee, so nothing else could have served it. Other dotted hosts (ingress
    // hostnames) do not name the Service: unknown.
    const writerNamespace = writerFromLabels(context?.labels).namespace;
    const [first, second, ...more] = host.split('.');
    if (host === '') {
      // An authority like ":7000" names nothing.
    } else if (isIpLiteral(host)) {
      r.dst_address = f.authority;
    } else if (!host.includes('.') || host.includes('.svc')) {
      const named = serviceFromHost(host);
      r.dst_service = named.service;
      r.dst_namespace = named.namespace;
    } else if (more.length === 0 && first !== '' && writerNamespace !== null && second === writerNamespace) {
      r.dst_service = first;
      r.dst_namespace = second;
    }
  }

  if (f.clientId !== null) {
    r.src_identity = f.clientId;
    const caller = parseLinkerdIdentity(f.clientId);
    r.src_namespace = caller?.namespace ?? null;
    // Linkerd's identity is the caller's service account; Linkerd's guidance is one account per
    // workload, so it names the caller. The shared `default` account names nobody.
    r.src_workload = caller && caller.serviceAccount !== 'default' ? caller.serviceAccount : null;
    r.mtls = 'mtls';
  } else {
    // client.id "-": the caller presented no mesh identity, so the connection was not mesh mTLS.
    r.mtls = 'plaintext';
  }
  r.mtls_basis = 'peer-identity';
  if (r.status !== null && r.status >= 200 && r.status < 400) {
    // The inbound proxy handed the request to the application: Linkerd's policy allowed it.
    r.authz = 'allow';
  }
  return fillFromContext(r, context);
}
