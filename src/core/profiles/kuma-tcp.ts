/**
 * Kuma / Kong Mesh default TCP access log:
 * `[%START_TIME%] %RESPONSE_FLAGS% %KUMA_MESH% <src addr>(<src service>)-><upstream host>(<dst service>)
 *  took <n>ms, sent <n> bytes, received: <n> bytes`.
 */
import type { Profile } from './types';
import { KUMA_NAMESPACE_RE, applyKumaServices, kumaServiceTemplate } from './kuma-record';
import { blankRecord, fillFromContext, splitFlags } from './record';
import { STREAM_NAMESPACE, captureAs, dashless, labelFormat } from './logql-templates';
import { failure } from './result';
import { LineError, numberValue, portOf, textValue, utcTimestamp } from './values';

const TCP =
  /^\[([^\]]+)\] (\S+) (\S+) (\S*)\(([^()]*)\)->(\S*)\(([^()]*)\) took (\S+)ms, sent (\S+) bytes, received: (\S+) bytes\s*$/;

/** Not derivable at query time: the proxy's own workload (stream labels); mTLS (not in the format). */
const LOGQL_STAGE = [
  '| pattern `[<start_time>] <response_flags> <kuma_mesh> <src_address>(<source_service>)-><upstream_host>(<destination_service>) took <duration_ms>ms, sent <bytes_out> bytes, received: <bytes_in> bytes`',
  labelFormat({
    direction: `{{ if eq .source_service "unknown" }}inbound{{ else if ne .source_service "" }}outbound{{ else }}unknown{{ end }}`,
    dst_service: kumaServiceTemplate('destination_service'),
    dst_namespace:
      captureAs('tag', KUMA_NAMESPACE_RE, 'destination_service') +
      `{{ if $tag }}{{ $tag }}{{ else if eq .source_service "unknown" }}{{ ${STREAM_NAMESPACE} }}{{ end }}`,
    response_flags: dashless('response_flags'),
    protocol: 'TCP',
    mtls: 'unknown',
    mtls_basis: 'none',
    authz: 'unknown',
  }),
].join(' ');

export const kumaTcp: Profile = {
  name: 'kuma-tcp',
  mesh: 'kuma',
  detect: (line) => line.charCodeAt(0) === 91 && line.includes(')->') && line.includes(' took '),
  parse(line, context) {
    try {
      const m = TCP.exec(line);
      if (!m) {
        throw new LineError(
          'expected `[<time>] <flags> <mesh> <addr>(<service>)-><upstream>(<service>) took <n>ms, sent <n> bytes, received: <n> bytes`'
        );
      }
      const r = blankRecord('kuma-tcp', 'kuma');
      r.timestamp = utcTimestamp(m[1], 'start_time');
      r.response_flags = splitFlags(textValue(m[2], 'response_flags'));
      r.protocol = 'TCP';
      r.src_address = textValue(m[4], 'source_address');
      const upstream = textValue(m[6], 'upstream_host');
      r.dst_address = upstream;
      applyKumaServices(r, textValue(m[5], 'source_service'), textValue(m[7], 'destination_service'));
      r.dst_port ??= portOf(upstream);
      r.duration_ms = numberValue(m[8], 'duration');
      // %BYTES_SENT% is what the proxy sent downstream, %BYTES_RECEIVED% what it received.
      r.bytes_out = numberValue(m[9], 'bytes_sent');
      r.bytes_in = numberValue(m[10], 'bytes_received');
      return { ok: true, record: fillFromContext(r, context) };
    } catch (error) {
      return failure('kuma-tcp', error);
    }
  },
  logqlStage: LOGQL_STAGE,
};
