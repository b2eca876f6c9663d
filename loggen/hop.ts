/**
 * One request between two services, with every value a proxy on either side would log. The
 * format renderers only lay these values out; the traffic model lives here.
 */
import { hashSeed, type Rng } from './prng';
import { isFailing, type Scenario } from './scenario';
import { serviceOf, type Edge, type Service, type Site } from './topology';

export interface Hop {
  site: Site;
  src: Service;
  dst: Service;
  startMs: number;
  /** Time the server side starts handling it (a little after the client sent it). */
  serverStartMs: number;
  durationMs: number;
  serverDurationMs: number;
  protocol: string;
  method: string;
  path: string;
  authority: string;
  status: number;
  /** Envoy response flags, `-` when none. */
  responseFlags: string;
  responseCodeDetails: string;
  /** False when the client proxy answered itself (no healthy upstream): no server-side line. */
  reachedServer: boolean;
  /** Set when the server's RBAC filter refused the call. */
  denyPolicy: string | null;
  bytesIn: number;
  bytesOut: number;
  requestId: string;
  traceId: string;
  userAgent: string;
  forwardedFor: string | null;
  /** Both proxies present, so Istio/Linkerd/Consul/Kuma wrap the hop in mTLS. */
  mtls: boolean;
  srcIp: string;
  srcPort: number;
  /** The client proxy's source port towards the server (inbound side's remote port). */
  upstreamLocalPort: number;
  dstIp: string;
  /** The service's virtual IP (what the client dialled). */
  dstVip: string;
  /** The inbound proxy's port towards the local app (127.0.0.6:<port> in Istio). */
  inboundLocalPort: number;
}

/** Stable addresses per service: pods in 10.x, service VIPs in 10.96/12, VMs in 192.168. */
export function podIp(site: Site, service: Service): string {
  const h = hashSeed(site.cluster, service.namespace, service.name);
  return site.platform === 'vm'
    ? `192.168.${(h >>> 8) % 250 + 2}.${(h % 250) + 2}`
    : `10.${(site.cluster === 'prod-eu' ? 44 : 42)}.${(h >>> 8) % 250 + 1}.${(h % 250) + 2}`;
}

export function serviceVip(site: Site, service: Service): string {
  const h = hashSeed('vip', site.cluster, service.namespace, service.name);
  return site.platform === 'vm' ? podIp(site, service) : `10.96.${(h >>> 8) % 250 + 1}.${(h % 250) + 2}`;
}

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];
const SERVICE_CLIENTS = ['Go-http-client/1.1', 'python-requests/2.31.0', 'okhttp/4.12.0', 'grpc-java-netty/1.62.2'];

function userAgent(rng: Rng, src: Service): string {
  if (src.kind === 'probe') {
    return 'kube-probe/1.29';
  }
  if (src.kind === 'gateway') {
    return rng.pick(BROWSERS);
  }
  return SERVICE_CLIENTS[hashSeed(src.name) % SERVICE_CLIENTS.length];
}

function requestPath(rng: Rng, dst: Service): string {
  const template = rng.pick(dst.paths ?? ['/']);
  return template.replace('{id}', String(rng.int(1, 99999)));
}

function methodFor(rng: Rng, path: string, src: Service): string {
  if (src.kind === 'probe') {
    return 'GET';
  }
  if (/\/(checkout|payments|refunds|entries|charges|token|score|validate|orders|quotes|run)$/.test(path)) {
    return rng.chance(0.85) ? 'POST' : 'GET';
  }
  return rng.chance(0.95) ? 'GET' : rng.pick(['PUT', 'DELETE']);
}

/** Median server latency in ms by kind of service. */
const LATENCY: Record<Service['kind'], number> = {
  gateway: 3,
  frontend: 35,
  api: 12,
  database: 2,
  cache: 0.6,
  job: 40,
  probe: 1,
};

export function buildHop(site: Site, edge: Edge, startMs: number, rng: Rng, scenario: Scenario): Hop {
  const src = serviceOf(site, edge.from);
  const dst = serviceOf(site, edge.to);
  const tcp = dst.protocol === 'tcp';
  const path = tcp ? '-' : requestPath(rng, dst);
  const method = tcp ? '-' : methodFor(rng, path, src);
  const failing = isFailing(scenario, site.cluster, dst.name, startMs);

  let status = tcp ? 0 : method === 'POST' ? 201 : 200;
  let responseFlags = '-';
  let details = 'via_upstream';
  let reachedServer = true;
  const denyPolicy = edge.denyPolicy ?? null;
  if (denyPolicy) {
    status = 403;
    details = `rbac_access_denied_matched_policy[${denyPolicy}]`;
  } else if (!tcp && failing && rng.chance(scenario.errorBurst.errorShare)) {
    if (rng.chance(0.3)) {
      // Every endpoint ejected: the client proxy answers without reaching the server.
      status = 503;
      responseFlags = 'UH';
      details = 'no_healthy_upstream';
      reachedServer = false;
    } else {
      status = rng.chance(0.7) ? 503 : 500;
    }
  } else if (!tcp && rng.chance(0.003)) {
    status = rng.pick([500, 502, 503]);
  } else if (!tcp && /\d$/.test(path) && method === 'GET' && rng.chance(0.02)) {
    status = 404;
  }

  const median = LATENCY[dst.kind] * (failing ? 6 : 1);
  const serverDuration = denyPolicy || !reachedServer ? 0 : Math.max(0, Math.round(rng.logNormal(median, 0.6)));
  const networkMs = reachedServer ? rng.int(0, 2) : 0;
  const bytesOut = denyPolicy
    ? 19 // "RBAC: access denied"
    : !reachedServer
      ? 19 // "no healthy upstream"
      : tcp
        ? Math.round(rng.logNormal(1500, 1))
        : status >= 500
          ? rng.int(20, 120)
          : Math.round(rng.logNormal(dst.kind === 'frontend' ? 18000 : 900, 0.8));
  const bytesIn = tcp ? Math.round(rng.logNormal(300, 1)) : method === 'GET' ? 0 : Math.round(rng.logNormal(400, 0.7));

  return {
    site,
    src,
    dst,
    startMs,
    serverStartMs: startMs + networkMs,
    durationMs: serverDuration + 2 * networkMs,
    serverDurationMs: serverDuration,
    protocol: tcp ? '-' : src.kind === 'gateway' || src.kind === 'probe' || !src.meshed ? 'HTTP/1.1' : 'HTTP/2',
    method,
    path,
    authority: tcp ? '-' : `${dst.name}.${dst.namespace}:${dst.port}`,
    status,
    responseFlags,
    responseCodeDetails: details,
    reachedServer,
    denyPolicy,
    bytesIn,
    bytesOut,
    requestId: rng.uuid(),
    traceId: rng.hex(32),
    userAgent: userAgent(rng, src),
    forwardedFor: src.kind === 'gateway' ? `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}` : null,
    mtls: src.meshed && dst.meshed,
    srcIp: podIp(site, src),
    srcPort: rng.int(32768, 60999),
    upstreamLocalPort: rng.int(32768, 60999),
    dstIp: podIp(site, dst),
    dstVip: serviceVip(site, dst),
    inboundLocalPort: rng.int(32768, 60999),
  };
}
