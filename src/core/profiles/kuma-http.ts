/**
 * Kuma / Kong Mesh default HTTP access log (kumahq/kuma pkg/plugins/policies/meshaccesslog/plugin/xds/configurer.go):
 * `[%START_TIME%] %KUMA_MESH% "<request>" code flags received sent duration upstream-time "xff" "agent"
 * "trace id" "request id" "authority" "source service" "destination service" "source address" "upstream host"`.
 */
import type { Profile } from './types';
import { KUMA_NAMESPACE_RE, applyKumaServices, kumaServiceTemplate } from './kuma-record';
import { blankRecord, fillFromContext, splitFlags } from './record';
import { byName, layout, layoutMismatch, splitBracketed, splitRequestLine } from './text-fields';
import { STREAM_NAMESPACE, capture, captureAs, dashless, isSuccess, labelFormat } from './logql-templates';
import { failure } from './result';
import { LineError, numberValue, portOf, textValue, utcTimestamp } from './values';

const HTTP = layout(
  'Kuma default HTTP format',
  'mesh "request" response_code response_flags bytes_received bytes_sent duration upstream_service_time "x_forwarded_for" "user_agent" "trace_id" "request_id" "authority" "source_service" "destination_service" "source_address" "upstream_host"'
);

/** Not derivable at query time: the proxy's own workload (stream labels); mTLS (not in the format). */
const LOGQL_STAGE = [
  '| pattern `[<start_time>] <kuma_mesh> "<method> <path> <protocol>" <status> <response_flags> <bytes_in> <bytes_out> <duration_ms> <_> "<_>" "<_>" "<trace_id>" "<request_id>" "<authority>" "<source_service>" "<destination_service>" "<src_address>" "<upstream_host>"`',
  labelFormat({
    direction: `{{ if eq .source_service "unknown" }}inbound{{ else if ne .source_service "" }}outbound{{ else }}unknown{{ end }}`,
    src_workload: kumaServiceTemplate('source_service'),
    src_namespace: `{{ if ne .source_service "unknown" }}${capture(KUMA_NAMESPACE_RE, 'source_service')}{{ end }}`,
    dst_service: kumaServiceTemplate('destination_service'),
    dst_namespace:
      captureAs('tag', KUMA_NAMESPACE_RE, 'destination_service') +
      `{{ if $tag }}{{ $tag }}{{ else if eq .source_service "unknown" }}{{ ${STREAM_NAMESPACE} }}{{ end }}`,
    response_flags: dashless('response_flags'),
    mtls: 'unknown',
    mtls_basis: 'none',
    authz: `{{ if contains "UAEX" .response_flags }}deny{{ else if and (ne .upstream_host "-") ${isSuccess('status')} }}allow{{ else }}unknown{{ end }}`,
  }),
].join(' ');

export const kumaHttp: Profile = {
  name: 'kuma-http',
  mesh: 'kuma',
  detect(line) {
    if (line.charCodeAt(0) !== 91 /* [ */) {
      return false;
    }
    try {
      return layoutMismatch(splitBracketed(line), HTTP) === null;
    } catch {
      return false;
    }
  },
  parse(line, context) {
    try {
      const split = splitBracketed(line);
      const mismatch = layoutMismatch(split, HTTP);
      if (mismatch) {
        throw new LineError(mismatch);
      }
      const v = byName(split, HTTP);
      const request = splitRequestLine(v('request') ?? '');
      const r = blankRecord('kuma-http', 'kuma');
      r.timestamp = utcTimestamp(split.time, 'start_time');
      r.method = request.method;
      r.path = request.path;
      r.protocol = request.protocol;
      r.status = numberValue(v('response_code'), 'response_code');
      r.response_flags = splitFlags(textValue(v('response_flags'), 'response_flags'));
      r.bytes_in = numberValue(v('bytes_received'), 'bytes_received');
      r.bytes_out = numberValue(v('bytes_sent'), 'bytes_sent');
      r.duration_ms = numberValue(v('duration'), 'duration');
      r.trace_id = textValue(v('trace_id'), 'trace_id');
      r.request_id = textValue(v('request_id'), 'request_id');
      r.src_address = textValue(v('source_address'), 'source_address');
      const upstream = textValue(v('upstream_host'), 'upstream_host');
      r.dst_address = upstream;
      applyKumaServices(
        r,
        textValue(v('source_service'), 'source_service'),
        textValue(v('destination_service'), 'destination_service')
      );
      r.dst_port ??= portOf(upstream);
      if (r.response_flags.includes('UAEX')) {
        r.authz = 'deny';
      } else if (upstream !== null && r.status !== null && r.status >= 200 && r.status < 400) {
        // It reached the upstream: Kuma's traffic permissions let it through.
        r.authz = 'allow';
      }
      return { ok: true, record: fillFromContext(r, context) };
    } catch (error) {
      return failure('kuma-http', error);
    }
  },
  logqlStage: LOGQL_STAGE,
};
