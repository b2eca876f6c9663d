/** Values shared by the renderers: timestamps, identities, address formatting. */
import type { Hop } from '../hop';
import type { Service, Site } from '../topology';

export type Side = 'outbound' | 'inbound';

/** Envoy's %START_TIME% default: RFC 3339 with milliseconds, UTC. */
export const envoyTime = (ms: number) => new Date(ms).toISOString();

/** Nanosecond RFC 3339 (Linkerd): the sub-millisecond digits come from the request id. */
export function nanoTime(ms: number, salt: string): string {
  const iso = new Date(ms).toISOString();
  const extra = String(parseInt(salt.replace(/[^0-9a-f]/g, '').slice(0, 8), 16) % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, -1)}${extra}Z`;
}

export const spiffeId = (site: Site, s: Service) => `spiffe://${site.trustDomain}/ns/${s.namespace}/sa/${s.serviceAccount}`;

export const fqdn = (s: Service) => `${s.name}.${s.namespace}.svc.cluster.local`;

/** The inbound proxy's view of the caller's address: the client proxy's socket, or the app's own. */
export const callerAddress = (hop: Hop) => `${hop.srcIp}:${hop.mtls ? hop.upstreamLocalPort : hop.srcPort}`;

/** `-` for a missing text field, as Envoy prints it. */
export const dash = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '-' : String(value));

/** Which proxies log this hop in a given mesh: Linkerd only logs inbound HTTP, Kuma TCP only inbound. */
export function loggingSides(hop: Hop): Side[] {
  const sides: Side[] = [];
  const mesh = hop.site.mesh;
  const tcp = hop.dst.protocol === 'tcp';
  if (hop.src.meshed && mesh !== 'linkerd' && !(mesh === 'kuma' && tcp)) {
    sides.push('outbound');
  }
  if (hop.dst.meshed && hop.reachedServer) {
    sides.push('inbound');
  }
  return sides;
}
