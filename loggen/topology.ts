/**
 * The simulated estate: three sites, each one cluster running one mesh, with tens of services
 * across namespaces and weighted call edges. Names line up with policy.example.yaml (strict
 * namespaces `payments` and `identity`, the required services).
 */
export type Platform = 'kubernetes' | 'vm';
export type MeshName = 'istio' | 'linkerd' | 'kuma' | 'consul';
export type LogFormat = 'istio-text' | 'istio-json' | 'linkerd-json' | 'kuma-http' | 'kuma-tcp' | 'consul';
export type ServiceKind = 'gateway' | 'frontend' | 'api' | 'database' | 'cache' | 'job' | 'probe';

export interface Service {
  name: string;
  namespace: string;
  port: number;
  protocol: 'http' | 'tcp';
  kind: ServiceKind;
  /** A mesh proxy runs beside it. Unmeshed callers have no identity and log nothing themselves. */
  meshed: boolean;
  serviceAccount: string;
  /** Request paths; `{id}` becomes a number. */
  paths?: string[];
}

export interface Edge {
  from: string;
  to: string;
  /** Share of the site's requests on this edge. */
  weight: number;
  /**
   * The server's authorization policy refuses this caller: Envoy's RBAC filter answers 403 with
   * `rbac_access_denied_matched_policy[<this>]` (`none` = no ALLOW policy matched).
   */
  denyPolicy?: string;
}

export interface Site {
  cluster: string;
  platform: Platform;
  mesh: MeshName;
  trustDomain: string;
  /** Share of all generated requests. */
  share: number;
  /** Local business hours: the daily traffic peak follows them. */
  utcOffsetHours: number;
  services: Service[];
  edges: Edge[];
  /** Which access-log format the proxies of a namespace write (Telemetry API / policy per namespace). */
  formatOf(namespace: string, protocol: 'http' | 'tcp'): LogFormat;
}

const http = (
  name: string,
  namespace: string,
  kind: ServiceKind,
  paths: string[],
  port = 8080,
  meshed = true
): Service => ({ name, namespace, port, protocol: 'http', kind, meshed, serviceAccount: name, paths });

const tcp = (name: string, namespace: string, kind: ServiceKind, port: number): Service => ({
  name,
  namespace,
  port,
  protocol: 'tcp',
  kind,
  meshed: true,
  serviceAccount: name,
});

/** Namespaces whose proxies use the recommended JSON format with peer SANs (proof-grade mTLS evidence). */
const ISTIO_RECOMMENDED_FORMAT_NAMESPACES = new Set(['istio-ingress', 'payments', 'identity']);

export const PROD_EU: Site = {
  cluster: 'prod-eu',
  platform: 'kubernetes',
  mesh: 'istio',
  trustDomain: 'cluster.local',
  share: 0.5,
  utcOffsetHours: 1,
  formatOf: (namespace) => (ISTIO_RECOMMENDED_FORMAT_NAMESPACES.has(namespace) ? 'istio-json' : 'istio-text'),
  services: [
    http('istio-ingressgateway', 'istio-ingress', 'gateway', ['/', '/products', '/cart', '/checkout', '/login']),
    http('frontend', 'shop', 'frontend', ['/', '/products', '/products/{id}', '/cart', '/checkout', '/login']),
    http('catalog', 'shop', 'api', ['/api/v1/products', '/api/v1/products/{id}', '/api/v1/categories']),
    http('cart', 'shop', 'api', ['/api/v1/cart/{id}', '/api/v1/cart/{id}/items']),
    http('recommendations', 'shop', 'api', ['/api/v1/recommendations/{id}']),
    tcp('cart-redis', 'shop', 'cache', 6379),
    http('orders-api', 'orders', 'api', ['/api/v1/orders', '/api/v1/orders/{id}']),
    http('shipping', 'orders', 'api', ['/api/v1/quotes', '/api/v1/shipments/{id}']),
    http('checkout', 'payments', 'api', ['/api/v1/checkout', '/api/v1/checkout/{id}/confirm']),
    http('payments-api', 'payments', 'api', ['/api/v1/payments', '/api/v1/payments/{id}', '/api/v1/refunds']),
    http('ledger', 'payments', 'api', ['/api/v1/entries', '/api/v1/balances/{id}']),
    http('fraud-check', 'payments', 'api', ['/api/v1/score']),
    tcp('payments-db', 'payments', 'database', 5432),
    http('auth', 'identity', 'api', ['/oauth2/token', '/oauth2/introspect', '/login']),
    http('users', 'identity', 'api', ['/api/v1/users/{id}']),
    tcp('users-db', 'identity', 'database', 5432),
    // A nightly-style reconciler deployed without a sidecar: its calls into `payments` are plaintext.
    http('legacy-reconciler', 'batch', 'job', ['/'], 8080, false),
  ],
  edges: [
    { from: 'istio-ingressgateway', to: 'frontend', weight: 100 },
    { from: 'frontend', to: 'catalog', weight: 60 },
    { from: 'frontend', to: 'cart', weight: 30 },
    { from: 'frontend', to: 'recommendations', weight: 20 },
    { from: 'frontend', to: 'auth', weight: 25 },
    { from: 'frontend', to: 'checkout', weight: 8 },
    { from: 'recommendations', to: 'catalog', weight: 15 },
    { from: 'cart', to: 'cart-redis', weight: 30 },
    { from: 'checkout', to: 'orders-api', weight: 8 },
    { from: 'checkout', to: 'payments-api', weight: 8 },
    { from: 'checkout', to: 'fraud-check', weight: 6 },
    { from: 'orders-api', to: 'shipping', weight: 6 },
    { from: 'payments-api', to: 'ledger', weight: 8 },
    { from: 'ledger', to: 'payments-db', weight: 8 },
    { from: 'auth', to: 'users', weight: 20 },
    { from: 'users', to: 'users-db', weight: 20 },
    { from: 'legacy-reconciler', to: 'payments-api', weight: 0.6 },
    // Misrouted or probing callers stopped by AuthorizationPolicies in the strict namespaces.
    { from: 'recommendations', to: 'payments-api', weight: 0.8, denyPolicy: 'ns[payments]-policy[deny-from-shop]-rule[0]' },
    { from: 'catalog', to: 'users', weight: 0.5, denyPolicy: 'none' },
  ],
};

export const PROD_US: Site = {
  cluster: 'prod-us',
  platform: 'kubernetes',
  mesh: 'linkerd',
  trustDomain: 'cluster.local',
  share: 0.3,
  utcOffsetHours: -5,
  formatOf: () => 'linkerd-json',
  services: [
    http('ingress-nginx', 'ingress-nginx', 'gateway', ['/']),
    http('webapp', 'web', 'frontend', ['/', '/authors', '/authors/{id}', '/books', '/books/{id}'], 7000),
    http('books', 'web', 'api', ['/books.json', '/books/{id}.json'], 7002),
    http('authors', 'web', 'api', ['/authors.json', '/authors/{id}.json'], 7001),
    http('orders-api', 'orders', 'api', ['/api/v1/orders', '/api/v1/orders/{id}']),
    http('payments-api', 'payments', 'api', ['/api/v1/payments', '/api/v1/payments/{id}']),
    http('ledger', 'payments', 'api', ['/api/v1/entries']),
    // kubelet probes and an unmeshed export job: Linkerd logs them with client.id "-".
    http('kube-probe', 'kube-system', 'probe', ['/ready', '/ping'], 10250, false),
    http('legacy-export', 'batch', 'job', ['/'], 8080, false),
  ],
  edges: [
    { from: 'ingress-nginx', to: 'webapp', weight: 100 },
    { from: 'webapp', to: 'books', weight: 50 },
    { from: 'webapp', to: 'authors', weight: 40 },
    { from: 'books', to: 'authors', weight: 20 },
    { from: 'webapp', to: 'orders-api', weight: 10 },
    { from: 'orders-api', to: 'payments-api', weight: 8 },
    { from: 'payments-api', to: 'ledger', weight: 8 },
    { from: 'kube-probe', to: 'webapp', weight: 3 },
    { from: 'kube-probe', to: 'books', weight: 3 },
    { from: 'legacy-export', to: 'payments-api', weight: 0.5 },
  ],
};

export const VM_FLEET: Site = {
  cluster: 'vm-fleet',
  platform: 'vm',
  mesh: 'consul',
  trustDomain: '7f3c2a1e-9b4d-4e8a-a2c6-5d1f0b8e3c79',
  share: 0.12,
  utcOffsetHours: 1,
  formatOf: () => 'consul',
  services: [
    http('erp-portal', 'erp', 'frontend', ['/', '/invoices', '/invoices/{id}']),
    http('invoice-api', 'erp', 'api', ['/api/invoices', '/api/invoices/{id}', '/api/invoices/{id}/pdf']),
    http('tax-service', 'erp', 'api', ['/api/rates', '/api/validate']),
    http('vendor-api', 'erp', 'api', ['/api/vendors/{id}']),
  ],
  edges: [
    { from: 'erp-portal', to: 'invoice-api', weight: 40 },
    { from: 'erp-portal', to: 'vendor-api', weight: 15 },
    { from: 'invoice-api', to: 'tax-service', weight: 25 },
  ],
};

/** Kuma on the same VM fleet: a second mesh beside Consul, HTTP services and a TCP database. */
export const VM_FLEET_KUMA: Site = {
  cluster: 'vm-fleet',
  platform: 'vm',
  mesh: 'kuma',
  trustDomain: 'default',
  share: 0.08,
  utcOffsetHours: 1,
  formatOf: (_namespace, protocol) => (protocol === 'tcp' ? 'kuma-tcp' : 'kuma-http'),
  services: [
    http('billing-api', 'billing', 'api', ['/api/v2/accounts/{id}', '/api/v2/charges'], 8080),
    http('billing-worker', 'billing', 'job', ['/jobs/run'], 8081),
    tcp('billing-db', 'billing-data', 'database', 5432),
  ],
  edges: [
    { from: 'billing-worker', to: 'billing-api', weight: 30 },
    { from: 'billing-api', to: 'billing-db', weight: 30 },
  ],
};

export const SITES: readonly Site[] = [PROD_EU, PROD_US, VM_FLEET, VM_FLEET_KUMA];

export function serviceOf(site: Site, name: string): Service {
  const service = site.services.find((s) => s.name === name);
  if (!service) {
    throw new Error(`topology: ${site.cluster}/${site.mesh} has no service ${name}`);
  }
  return service;
}
