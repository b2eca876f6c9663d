/**
 * Istio's default TEXT access log (>= 1.9, EnvoyTextLogFormat in istio/istio
 * pilot/pkg/model/telemetry_logging.go), field for field as in the fixtures.
 */
import type { Hop } from '../hop';
import { dash, type Side } from './common';
import { envoyValues, ISTIO_NAMING } from './envoy-values';

export function istioTextLine(hop: Hop, side: Side): string {
  const v = envoyValues(hop, side, ISTIO_NAMING);
  const request = v.method === null ? '- - -' : `${v.method} ${v.path} ${v.protocol}`;
  return (
    `[${v.start_time}] "${request}" ${v.response_code} ${dash(v.response_flags)} ${dash(v.response_code_details)} ` +
    `${dash(v.connection_termination_details)} "${dash(v.upstream_transport_failure_reason)}" ` +
    `${v.bytes_received} ${v.bytes_sent} ${v.duration} ${dash(v.upstream_service_time)} ` +
    `"${dash(v.x_forwarded_for)}" "${dash(v.user_agent)}" "${dash(v.request_id)}" "${dash(v.authority)}" "${dash(v.upstream_host)}" ` +
    `${dash(v.upstream_cluster)} ${dash(v.upstream_local_address)} ${v.downstream_local_address} ${v.downstream_remote_address} ` +
    `${dash(v.requested_server_name)} ${dash(v.route_name)}`
  );
}
