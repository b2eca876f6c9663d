/**
 * The Envoy command-operator values of a hop as one side's proxy sees them. Istio text, Istio
 * JSON and Consul JSON all print these operators; only the layout and naming differ.
 */
import type { Hop } from '../hop';
import { callerAddress, envoyTime, fqdn, spiffeId, type Side } from './common';

export interface EnvoyValues {
  start_time: string;
  method: string | null;
  path: string | null;
  protocol: string | null;
  response_code: number;
  response_flags: string;
  response_code_details: string | null;
  connection_termination_details: string | null;
  upstream_transport_failure_reason: string | null;
  bytes_received: number;
  bytes_sent: number;
  duration: number;
  /** A response header value, so a string even in typed JSON. */
  upstream_service_time: string | null;
  x_forwarded_for: string | null;
  user_agent: string | null;
  request_id: string | null;
  authority: string | null;
  upstream_host: string | null;
  upstream_cluster: string | null;
  upstream_local_address: string | null;
  downstream_local_address: string;
  downstream_remote_address: string;
  requested_server_name: string | null;
  route_name: string | null;
  trace_id: string | null;
  downstream_peer_uri_san: string | null;
  upstream_peer_uri_san: string | null;
}

export interface ClusterNaming {
  outboundCluster(hop: Hop): string;
  inboundCluster(hop: Hop): string;
  /** SNI a mesh client sends for mTLS. */
  meshSni(hop: Hop): string;
}

export const ISTIO_NAMING: ClusterNaming = {
  outboundCluster: (hop) => `outbound|${hop.dst.port}||${fqdn(hop.dst)}`,
  inboundCluster: (hop) => `inbound|${hop.dst.port}||`,
  meshSni: (hop) => `outbound_.${hop.dst.port}_._.${fqdn(hop.dst)}`,
};

const consulName = (hop: Hop) => `${hop.dst.name}.${hop.dst.namespace}.dc1.internal.${hop.site.trustDomain}.consul`;

export const CONSUL_NAMING: ClusterNaming = {
  outboundCluster: consulName,
  inboundCluster: () => 'local_app',
  meshSni: consulName,
};

const GATEWAY_HOST = 'shop.example.com';

export function envoyValues(hop: Hop, side: Side, naming: ClusterNaming): EnvoyValues {
  const tcp = hop.dst.protocol === 'tcp';
  const gateway = hop.src.kind === 'gateway';
  const common = {
    method: tcp ? null : hop.method,
    path: tcp ? null : hop.path,
    protocol: tcp ? null : hop.protocol,
    response_code: hop.status,
    // Envoy prints "-" for no flags even in typed JSON (see the istio-json fixture).
    response_flags: hop.responseFlags,
    connection_termination_details: null,
    upstream_transport_failure_reason: null,
    bytes_received: hop.bytesIn,
    bytes_sent: hop.bytesOut,
    user_agent: tcp ? null : hop.userAgent,
    request_id: tcp ? null : hop.requestId,
    trace_id: tcp ? null : hop.traceId,
  };
  if (side === 'outbound') {
    return {
      ...common,
      start_time: envoyTime(hop.startMs),
      // The client sees the server's answer; only a proxy-made answer has other details.
      response_code_details: tcp ? null : hop.reachedServer ? 'via_upstream' : hop.responseCodeDetails,
      duration: hop.durationMs,
      upstream_service_time: tcp || !hop.reachedServer ? null : String(hop.serverDurationMs),
      x_forwarded_for: hop.forwardedFor,
      authority: tcp ? null : gateway ? GATEWAY_HOST : hop.authority,
      upstream_host: hop.reachedServer ? `${hop.dstIp}:${hop.dst.port}` : null,
      upstream_cluster: naming.outboundCluster(hop),
      upstream_local_address: hop.reachedServer ? `${hop.srcIp}:${hop.upstreamLocalPort}` : null,
      downstream_local_address: gateway ? `${hop.srcIp}:8443` : `${hop.dstVip}:${hop.dst.port}`,
      downstream_remote_address: gateway ? `${hop.forwardedFor}:${hop.srcPort}` : `${hop.srcIp}:${hop.srcPort}`,
      requested_server_name: gateway ? GATEWAY_HOST : null,
      route_name: tcp ? null : 'default',
      // The app talks to its own sidecar in plaintext: no downstream certificate on outbound lines.
      downstream_peer_uri_san: null,
      upstream_peer_uri_san: hop.mtls && hop.reachedServer ? spiffeId(hop.site, hop.dst) : null,
    };
  }
  const denied = hop.denyPolicy !== null;
  return {
    ...common,
    start_time: envoyTime(hop.serverStartMs),
    response_code_details: tcp ? null : hop.responseCodeDetails,
    duration: hop.serverDurationMs,
    upstream_service_time: tcp || denied ? null : String(hop.serverDurationMs),
    x_forwarded_for: hop.forwardedFor,
    authority: tcp ? null : gateway ? GATEWAY_HOST : hop.authority,
    upstream_host: denied ? null : `${hop.dstIp}:${hop.dst.port}`,
    upstream_cluster: naming.inboundCluster(hop),
    upstream_local_address: denied ? null : `127.0.0.6:${hop.inboundLocalPort}`,
    downstream_local_address: `${hop.dstIp}:${hop.dst.port}`,
    downstream_remote_address: callerAddress(hop),
    requested_server_name: hop.mtls ? naming.meshSni(hop) : null,
    route_name: tcp || denied ? null : 'default',
    downstream_peer_uri_san: hop.mtls ? spiffeId(hop.site, hop.src) : null,
    upstream_peer_uri_san: null,
  };
}
