/**
 * The common schema: one normalised access-log record (DESIGN.md, "The common schema").
 * Keys are flat snake_case so the same names serve as JSON fields, Loki structured metadata
 * and LogQL label names. Unknown values are `null`, never "-" or "".
 */

export const MESHES = ['istio', 'linkerd', 'consul', 'kuma', 'cilium', 'envoy'] as const;
export type Mesh = (typeof MESHES)[number];

export const PROFILE_NAMES = [
  'istio-text',
  'istio-json',
  'envoy-text',
  'envoy-json',
  'consul',
  'linkerd-json',
  'linkerd-apache',
  'kuma-http',
  'kuma-tcp',
  'hubble-json',
] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export type Direction = 'inbound' | 'outbound' | 'unknown';
export type MtlsState = 'mtls' | 'plaintext' | 'unknown';
/** What the mtls value rests on; `peer-identity` is proof, `sni` and `tls-flag` are inference. */
export type MtlsBasis = 'peer-identity' | 'sni' | 'tls-flag' | 'none';
export type AuthzDecision = 'allow' | 'deny' | 'unknown';

export interface AccessRecord {
  timestamp: string | null;
  mesh: Mesh;
  format: ProfileName;
  direction: Direction;
  src_workload: string | null;
  src_namespace: string | null;
  src_identity: string | null;
  src_address: string | null;
  dst_service: string | null;
  dst_namespace: string | null;
  dst_workload: string | null;
  dst_identity: string | null;
  dst_address: string | null;
  dst_port: number | null;
  protocol: string | null;
  method: string | null;
  path: string | null;
  status: number | null;
  response_flags: string[];
  duration_ms: number | null;
  bytes_in: number | null;
  bytes_out: number | null;
  mtls: MtlsState;
  mtls_basis: MtlsBasis;
  authz: AuthzDecision;
  authz_policy: string | null;
  request_id: string | null;
  trace_id: string | null;
}

/** Field names in schema order: the order of keys in normalised JSON output. */
export const RECORD_FIELDS: ReadonlyArray<keyof AccessRecord> = [
  'timestamp',
  'mesh',
  'format',
  'direction',
  'src_workload',
  'src_namespace',
  'src_identity',
  'src_address',
  'dst_service',
  'dst_namespace',
  'dst_workload',
  'dst_identity',
  'dst_address',
  'dst_port',
  'protocol',
  'method',
  'path',
  'status',
  'response_flags',
  'duration_ms',
  'bytes_in',
  'bytes_out',
  'mtls',
  'mtls_basis',
  'authz',
  'authz_policy',
  'request_id',
  'trace_id',
];

/**
 * Low-cardinality Loki stream labels; everything else is structured metadata or parsed at query
 * time. `namespace` and `service_name` name the writer of the line (the pod or VM service whose
 * proxy logged it): `service_name` is Loki 3's own label for the emitting service.
 */
export const STREAM_LABELS = ['platform', 'cluster', 'mesh', 'namespace', 'log_type', 'service_name'] as const;
export type StreamLabel = (typeof STREAM_LABELS)[number];
