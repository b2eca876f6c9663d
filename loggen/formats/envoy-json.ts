/**
 * Envoy JSON access logs: Istio's JSON encoding (EnvoyJSONLogFormatIstio) extended the way the
 * Mesh Audit recommended format asks (trace_id and the peer certificate SANs), and Consul's
 * default JSON (the same keys with Consul cluster names, no peer SANs). Values are typed, with
 * null for missing ones, as Envoy's typed JSON formatter prints them.
 */
import type { Hop } from '../hop';
import type { Side } from './common';
import { CONSUL_NAMING, envoyValues, ISTIO_NAMING, type EnvoyValues } from './envoy-values';

/** Key order as in a real Istio capture: Istio does not sort the keys (SortProperties: false). */
const ISTIO_KEYS: Array<keyof EnvoyValues> = [
  'downstream_local_address',
  'user_agent',
  'route_name',
  'response_code_details',
  'protocol',
  'method',
  'upstream_local_address',
  'request_id',
  'response_code',
  'upstream_host',
  'bytes_received',
  'requested_server_name',
  'response_flags',
  'x_forwarded_for',
  'upstream_service_time',
  'bytes_sent',
  'downstream_remote_address',
  'upstream_transport_failure_reason',
  'upstream_cluster',
  'path',
  'duration',
  'start_time',
  'authority',
  'connection_termination_details',
];
const RECOMMENDED_EXTRA: Array<keyof EnvoyValues> = ['trace_id', 'downstream_peer_uri_san', 'upstream_peer_uri_san'];

/** Consul's defaultJSONFormat key set (hashicorp/consul agent/xds/accesslogs/accesslogs.go). */
const CONSUL_KEYS: Array<keyof EnvoyValues> = [
  'start_time',
  'route_name',
  'method',
  'path',
  'protocol',
  'response_code',
  'response_flags',
  'response_code_details',
  'connection_termination_details',
  'bytes_received',
  'bytes_sent',
  'duration',
  'upstream_service_time',
  'x_forwarded_for',
  'user_agent',
  'request_id',
  'authority',
  'upstream_host',
  'upstream_cluster',
  'upstream_local_address',
  'downstream_local_address',
  'downstream_remote_address',
  'requested_server_name',
  'upstream_transport_failure_reason',
];

function pickKeys(v: EnvoyValues, keys: Array<keyof EnvoyValues>): string {
  const o: Record<string, unknown> = {};
  for (const k of keys) {
    o[k] = v[k];
  }
  return JSON.stringify(o);
}

export function istioJsonLine(hop: Hop, side: Side): string {
  return pickKeys(envoyValues(hop, side, ISTIO_NAMING), [...ISTIO_KEYS, ...RECOMMENDED_EXTRA]);
}

export function consulJsonLine(hop: Hop, side: Side): string {
  return pickKeys(envoyValues(hop, side, CONSUL_NAMING), CONSUL_KEYS);
}
