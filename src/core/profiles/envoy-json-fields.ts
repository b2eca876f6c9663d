/**
 * Envoy operator values from a JSON access-log object. Keys are read by name (Istio sets
 * SortProperties:false, so order varies) and values may be typed (numbers, null) or strings with
 * "-" (custom formats, older Envoy). Envoy Gateway's default JSON names some keys after headers
 * (`:authority`, `x-request-id`, ...); both spellings are read.
 */
import type { EnvoyFields } from './envoy-record';
import { numberValue, textValue, utcTimestamp } from './values';

function pick(o: Record<string, unknown>, key: string, alias: string): unknown {
  const value = o[key];
  return value === undefined ? o[alias] : value;
}

/** A peer-SAN key present in the format (even if empty) is evidence; an absent key is not. */
function optionalText(o: Record<string, unknown>, key: string): string | null | undefined {
  return key in o ? textValue(o[key], key) : undefined;
}

export function envoyFieldsFromJson(o: Record<string, unknown>): EnvoyFields {
  return {
    start_time: utcTimestamp(o.start_time, 'start_time'),
    method: textValue(o.method, 'method'),
    path: textValue(pick(o, 'path', 'x-envoy-origin-path'), 'path'),
    protocol: textValue(o.protocol, 'protocol'),
    response_code: numberValue(o.response_code, 'response_code'),
    response_flags: textValue(o.response_flags, 'response_flags'),
    response_code_details: optionalText(o, 'response_code_details'),
    connection_termination_details: optionalText(o, 'connection_termination_details'),
    bytes_received: numberValue(o.bytes_received, 'bytes_received'),
    bytes_sent: numberValue(o.bytes_sent, 'bytes_sent'),
    duration: numberValue(o.duration, 'duration'),
    request_id: textValue(pick(o, 'request_id', 'x-request-id'), 'request_id'),
    trace_id: textValue(o.trace_id, 'trace_id'),
    upstream_host: textValue(o.upstream_host, 'upstream_host'),
    upstream_cluster: textValue(o.upstream_cluster, 'upstream_cluster'),
    downstream_local_address: textValue(o.downstream_local_address, 'downstream_local_address'),
    downstream_remote_address: textValue(o.downstream_remote_address, 'downstream_remote_address'),
    requested_server_name: textValue(o.requested_server_name, 'requested_server_name'),
    downstream_peer_uri_san: optionalText(o, 'downstream_peer_uri_san'),
    upstream_peer_uri_san: optionalText(o, 'upstream_peer_uri_san'),
  };
}

/** Keys that mark an object as an Envoy access-log record at all. */
export function hasEnvoyKeys(o: Record<string, unknown>): boolean {
  return (
    'response_code' in o || 'upstream_cluster' in o || ('start_time' in o && ('method' in o || 'upstream_host' in o))
  );
}
