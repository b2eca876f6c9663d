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

const CONSUL_MARKERS = ['.internal.', '.internal-v1.', '.external.'];

/** Consul cluster or SNI name → service and namespace, or null when it is not Consul naming. */
export function parseConsulName(name: string): { service: string; namespace: string | null } | null {
  if (!name.endsWith('.consul')) {
    return null;
  }
  const first = name.indexOf('.');
  const second = first < 0 ? -1 : name.indexOf('.', first + 1);
  if (first <= 0 || second < 0) {
    return null;
  }
  // The marker sits after <svc>.<ns>.<dc> (or a partition/peer segment): at or after the second dot.
  if (!CONSUL_MARKERS.some((marker) => name.indexOf(marker, second) >= 0)) {
    return null;
  }
  return { service: name.slice(0, first), namespace: second === first + 1 ? null : name.slice(first + 1, second) };
}

/** Facts from an upstream cluster name, or null when the name follows no scheme we know. */
export function parseUpstreamCluster(cluster: string | null): ClusterFacts | null {
  if (cluster === null) {
    return null;
  }
  const outbound = cluster.startsWith('outbound|');
  if (outbound || cluster.startsWith('inbound|')) {
    // outbound|<port>|<subset>|<fqdn>, inbound|<port>|<name>|<fqdn?>: split by hand, this runs per line.
    const p1 = outbound ? 8 : 7;
    const p2 = cluster.indexOf('|', p1 + 1);
    const p3 = p2 < 0 ? -1 : cluster.indexOf('|', p2 + 1);
    const fqdn = p3 < 0 || p3 === cluster.length - 1 ? null : cluster.slice(p3 + 1);
    const named = fqdn === null ? null : serviceFromHost(fqdn);
    return {
      direction: outbound ? 'outbound' : 'inbound',
      port: parsePort(p2 < 0 ? cluster.slice(p1 + 1) : cluster.slice(p1 + 1, p2)),
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
  const portEnd = sni.indexOf('_.', 10);
  const subsetEnd = portEnd < 0 ? -1 : sni.indexOf('_.', portEnd + 2);
  if (subsetEnd < 0 || subsetEnd + 2 >= sni.length) {
    return null;
  }
  return { port: parsePort(sni.slice(10, portEnd)), ...serviceFromHost(sni.slice(subsetEnd + 2)) };
}
