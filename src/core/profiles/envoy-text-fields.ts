import type { EnvoyFields } from './envoy-record';
import { byName, splitRequestLine, type Layout, type TextFields } from './text-fields';
import { numberValue, textValue, utcTimestamp } from './values';

/** Envoy operator values from a text line of a known Envoy layout. */
export function envoyFieldsFromText(split: TextFields, l: Layout): EnvoyFields {
  const v = byName(split, l);
  const request = splitRequestLine(v('request') ?? '');
  return {
    start_time: utcTimestamp(split.time, 'start_time'),
    method: request.method,
    path: request.path,
    protocol: request.protocol,
    response_code: numberValue(v('response_code'), 'response_code'),
    response_flags: textValue(v('response_flags'), 'response_flags'),
    response_code_details:
      v('response_code_details') === undefined
        ? undefined
        : textValue(v('response_code_details'), 'response_code_details'),
    connection_termination_details:
      v('connection_termination_details') === undefined
        ? undefined
        : textValue(v('connection_termination_details'), 'connection_termination_details'),
    bytes_received: numberValue(v('bytes_received'), 'bytes_received'),
    bytes_sent: numberValue(v('bytes_sent'), 'bytes_sent'),
    duration: numberValue(v('duration'), 'duration'),
    request_id: textValue(v('request_id'), 'request_id'),
    upstream_host: textValue(v('upstream_host'), 'upstream_host'),
    upstream_cluster: textValue(v('upstream_cluster'), 'upstream_cluster'),
    downstream_local_address: textValue(v('downstream_local_address'), 'downstream_local_address'),
    downstream_remote_address: textValue(v('downstream_remote_address'), 'downstream_remote_address'),
    requested_server_name: textValue(v('requested_server_name'), 'requested_server_name'),
  };
}
