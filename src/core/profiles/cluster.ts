/**
 * What Envoy cluster names and SNI say about the callee. Istio names clusters
 * `outbound|<port>|<subset>|<fqdn>` and `inbound|<port>|<name>|<fqdn?>`, and its auto-mTLS clients
 * send SNI `outbound_.<port>_.<subset>_.<fqdn>`. Consul names upstream clusters and SNI
 * `<svc>.<ns>[.<partition>].<dc>.internal[-v1].<trust-domain>.consul` (peers: `.external.`) and the
 * local application `local_app`.
 */
import type { Direction } from '../schema';

export interface ClusterFacts {
  direction: Direction;
  port: number | null;
  service: string | null;
  namespace: string | null;
  /** Which naming scheme recognised it: tells istio-json from consul in auto-detection. */
  scheme: 'istio' | 'consul';
}

function parsePort(text: string): number | null {
  if (text.length === 0 || text.length > 5) {
    return null;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      return null;
    }
  }
  const port = Number(text);
  return port <= 65535 ? port : null;
}

/** `<svc>.<ns>.svc.<domain>` → service and namespace; another host names a service but no namespace. */
export function serviceFromHost(host: string): { service: string; namespace: string | null } {
  const svc = host.indexOf('.svc.');
  if (svc > 0 || host.endsWith('.svc')) {
    const head = host.slice(0, svc > 0 ? svc : host.length - 4);
    const dot = head.indexOf('.');
    if (dot > 0 && dot < head.length - 1 && head.indexOf('.', dot + 1) < 0) {
      return { service: head.slice(0, dot), namespace: head.slice(dot + 1) };
    }
  }
  return { service: host, namespace: null };
}

/** Consul cluster or SNI name → service and namespace, or null when it is not Consul naming. */
export function parseConsulName(name: string): { service: string; namespace: string | null } | null {
  if (!name.endsWith('.consul')) {
    return null;
  }
  const parts = name.split('.');
  const marker = parts.findIndex((p, i) => i >= 2 && (p === 'internal' || p === 'internal-v1' || p === 'external'));
  if (marker < 0 || parts[0] === '') {
    return null;
  }
  return { service: parts[0], namespace: parts[1] === '' ? null : parts[1] };
}

/** Facts from an upstream cluster name, or null when the name follows no scheme we know. */
export function parseUpstreamCluster(cluster: string | null): ClusterFacts | null {
  if (cluster === null) {
    return null;
  }
  if (cluster.startsWith('outbound|') || cluster.startsWith('inbound|')) {
    const slots = cluster.split('|');
    const direction: Direction = slots[0] === 'outbound' ? 'outbound' : 'inbound';
    const fqdn = slots.length >= 4 && slots[3] !== '' ? slots[3] : null;
    const named = fqdn === null ? null : serviceFromHost(fqdn);
    return {
      direction,
      port: parsePort(slots[1] ?? ''),
      service: named?.service ?? null,
      namespace: named?.namespace ?? null,
      scheme: 'istio',
    };
  }
  switch (cluster) {
    // Istio's catch-alls for traffic to unknown destinations: still this proxy's client or server side.
    case 'PassthroughCluster':
    case 'BlackHoleCluster':
      return { direction: 'outbound', port: null, service: null, namespace: null, scheme: 'istio' };
    case 'InboundPassthroughCluster':
    case 'InboundPassthroughClusterIpv4':
    case 'InboundPassthroughClusterIpv6':
      return { direction: 'inbound', port: null, service: null, namespace: null, scheme: 'istio' };
    case 'local_app':
      return { direction: 'inbound', port: null, service: null, namespace: null, scheme: 'consul' };
    case 'original-destination':
      return { direction: 'outbound', port: null, service: null, namespace: null, scheme: 'consul' };
  }
  const consul = parseConsulName(cluster);
  if (consul) {
    return { direction: 'outbound', port: null, ...consul, scheme: 'consul' };
  }
  return null;
}

/** Istio auto-mTLS SNI `outbound_.<port>_.<subset>_.<fqdn>` → port, service, namespace. */
export function parseIstioSni(
  sni: string | null
): { port: number | null; service: string; namespace: string | null } | null {
  if (sni === null || !sni.startsWith('outbound_.')) {
    return null;
  }
  const slots = sni.slice('outbound_.'.length).split('_.');
  if (slots.length < 3 || slots[2] === '') {
    return null;
  }
  const fqdn = slots.slice(2).join('_.');
  return { port: parsePort(slots[0]), ...serviceFromHost(fqdn) };
}
