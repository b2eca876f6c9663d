/**
 * Linkerd's JSON access log (config.linkerd.io/access-log: json), written by the server-side
 * proxy for inbound HTTP. Numbers other than status are strings; request_bytes is "" when empty.
 */
import type { Hop } from '../hop';
import { nanoTime } from './common';

export function linkerdJsonLine(hop: Hop): string {
  const meshed = hop.mtls;
  const host = meshed ? `${hop.dst.name}:${hop.dst.port}` : `${hop.dstIp}:${hop.dst.port}`;
  const totalNs = Math.max(1, hop.serverDurationMs) * 1_000_000 + (parseInt(hop.requestId.slice(0, 5), 16) % 999_999);
  return JSON.stringify({
    'client.addr': `${hop.srcIp}:${hop.mtls ? hop.upstreamLocalPort : hop.srcPort}`,
    'client.id': meshed
      ? `${hop.src.serviceAccount}.${hop.src.namespace}.serviceaccount.identity.linkerd.${hop.site.trustDomain}`
      : '-',
    host,
    method: hop.method,
    processing_ns: String(20_000 + (parseInt(hop.requestId.slice(9, 13), 16) % 40_000)),
    request_bytes: hop.bytesIn === 0 ? '' : String(hop.bytesIn),
    response_bytes: String(hop.bytesOut),
    status: hop.status,
    timestamp: nanoTime(hop.serverStartMs, hop.requestId),
    total_ns: String(totalNs),
    trace_id: meshed ? hop.traceId : '',
    uri: meshed ? `http://${host}${hop.path}` : hop.path,
    user_agent: hop.userAgent,
    version: meshed ? 'HTTP/2.0' : 'HTTP/1.1',
  });
}
