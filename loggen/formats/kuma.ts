/**
 * Kuma / Kong Mesh MeshAccessLog default plain formats (kumahq/kuma
 * pkg/plugins/policies/meshaccesslog/plugin/xds/configurer.go): HTTP and TCP. Inbound records
 * name the source service `unknown`, as Kuma does.
 */
import type { Hop } from '../hop';
import type { Service } from '../topology';
import { dash, envoyTime, type Side } from './common';

const MESH = 'default';
export const kumaService = (s: Service) => `${s.name}_${s.namespace}_svc_${s.port}`;

export function kumaHttpLine(hop: Hop, side: Side): string {
  const outbound = side === 'outbound';
  const start = outbound ? hop.startMs : hop.serverStartMs;
  const duration = outbound ? hop.durationMs : hop.serverDurationMs;
  const upstreamTime = hop.reachedServer && hop.denyPolicy === null ? String(hop.serverDurationMs) : '-';
  const source = outbound ? kumaService(hop.src) : 'unknown';
  const upstreamHost = outbound ? (hop.reachedServer ? `${hop.dstIp}:${hop.dst.port}` : '-') : `127.0.0.1:${hop.dst.port}`;
  return (
    `[${envoyTime(start)}] ${MESH} "${hop.method} ${hop.path} ${hop.protocol === 'HTTP/2' ? 'HTTP/2' : 'HTTP/1.1'}" ` +
    `${hop.status} ${hop.responseFlags} ${hop.bytesIn} ${hop.bytesOut} ${duration} ${upstreamTime} ` +
    `"${dash(hop.forwardedFor)}" "${hop.userAgent}" "${hop.traceId}" "${hop.requestId}" "${hop.authority}" ` +
    `"${source}" "${kumaService(hop.dst)}" "${hop.srcIp}" "${upstreamHost}"`
  );
}

export function kumaTcpLine(hop: Hop): string {
  return (
    `[${envoyTime(hop.serverStartMs)}] ${hop.responseFlags} ${MESH} ${hop.srcIp}(unknown)->${hop.dstIp}:${hop.dst.port}` +
    `(${kumaService(hop.dst)}) took ${hop.serverDurationMs}ms, sent ${hop.bytesOut} bytes, received: ${hop.bytesIn} bytes`
  );
}
