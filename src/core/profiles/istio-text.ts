/**
 * Istio sidecar/gateway TEXT access log (istio/istio pilot/pkg/model/telemetry_logging.go
 * EnvoyTextLogFormat) in its three generations:
 * - Istio >= 1.9: RESPONSE_CODE_DETAILS and CONNECTION_TERMINATION_DETAILS after the flags;
 * - Istio 1.3-1.8: a quoted istio.mixer:status then the quoted upstream transport failure reason;
 * - Istio 1.1-1.2: only the quoted mixer status.
 * The trailing ROUTE_NAME may be missing (older versions, truncated captures).
 */
import type { Profile } from './types';
import { envoyRecord } from './envoy-record';
import { envoyFieldsFromText } from './envoy-text-fields';
import { layout, layoutMismatch, splitBracketed, type Layout, type TextFields } from './text-fields';
import { LineError } from './values';
import {
  STREAM_NAMESPACE,
  capture,
  captureAs,
  dashless,
  istioDirection,
  isSuccess,
  labelFormat,
  tcpAwareProtocol,
  tcpAwareStatus,
} from './logql-templates';
import { failure } from './result';

const TAIL =
  '"request_id" "authority" "upstream_host" upstream_cluster upstream_local_address downstream_local_address downstream_remote_address requested_server_name ?route_name';

const CURRENT = layout(
  'Istio >= 1.9 text format',
  `"request" response_code response_flags response_code_details connection_termination_details "upstream_transport_failure_reason" bytes_received bytes_sent duration upstream_service_time "x_forwarded_for" "user_agent" ${TAIL}`
);
const V1_3 = layout(
  'Istio 1.3-1.8 text format',
  `"request" response_code response_flags "mixer_status" "upstream_transport_failure_reason" bytes_received bytes_sent duration upstream_service_time "x_forwarded_for" "user_agent" ${TAIL}`
);
const V1_1 = layout(
  'Istio 1.1-1.2 text format',
  `"request" response_code response_flags "mixer_status" bytes_received bytes_sent duration upstream_service_time "x_forwarded_for" "user_agent" ${TAIL}`
);

/** The layout this line was written in, told apart by which fields after the flags are quoted. */
function pickLayout(fields: TextFields): Layout {
  if (!fields.quoted[3]) {
    return CURRENT;
  }
  return fields.quoted[4] ? V1_3 : V1_1;
}

function fits(line: string): boolean {
  if (line.charCodeAt(0) !== 91 /* [ */) {
    return false;
  }
  try {
    const split = splitBracketed(line);
    return layoutMismatch(split, pickLayout(split)) === null;
  } catch {
    return false;
  }
}

const SNI_ROUTE = 'sni_route';

/**
 * Query-time parsing of the >= 1.9 layout only (a pattern cannot fit all three generations; older
 * lines yield no labels). The last pattern capture holds "SNI [route]" because the route may be
 * missing. The proxy's own namespace comes from the `namespace` stream label (src_namespace of
 * outbound lines, dst_namespace of inbound lines the SNI does not name). Not derivable at query
 * time: src_workload/dst_workload (no such fields in the line, and pod/app are not stream labels), identities (the default format
 * logs no peer certificate), and the legacy inbound cluster FQDN.
 */
const LOGQL_STAGE = [
  '| pattern `[<start_time>] "<method> <path> <protocol>" <status> <response_flags> <response_code_details> <connection_termination_details> "<upstream_transport_failure_reason>" <bytes_in> <bytes_out> <duration_ms> <_> "<_>" "<_>" "<request_id>" "<authority>" "<upstream_host>" <upstream_cluster> <_> <downstream_local_address> <src_address> <sni_route>`',
  labelFormat({
    requested_server_name: capture('^([^ ]+)( .*)?$', SNI_ROUTE),
    direction: istioDirection('upstream_cluster'),
    dst_service:
      capture('^outbound[|][^|]*[|][^|]*[|]([^.|]+).*$', 'upstream_cluster') +
      `{{ if hasPrefix "inbound|" .upstream_cluster }}${capture('^outbound_[.][0-9]*_[.][^_]*_[.]([^.]+)[.].*$', SNI_ROUTE)}{{ end }}`,
    dst_namespace:
      captureAs('cluster', '^outbound[|][^|]*[|][^|]*[|][^.|]+[.]([^.]+)[.]svc([.].*)?$', 'upstream_cluster') +
      captureAs('sni', '^outbound_[.][0-9]*_[.][^_]*_[.][^.]+[.]([^.]+)[.]svc.*$', SNI_ROUTE) +
      `{{ if $cluster }}{{ $cluster }}{{ else if hasPrefix "inbound|" .upstream_cluster }}` +
      `{{ if $sni }}{{ $sni }}{{ else }}{{ ${STREAM_NAMESPACE} }}{{ end }}{{ end }}`,
    src_namespace: `{{ if hasPrefix "outbound|" .upstream_cluster }}{{ ${STREAM_NAMESPACE} }}{{ end }}`,
    dst_port: capture('^(?:in|out)bound[|]([0-9]+)[|].*$', 'upstream_cluster'),
    response_flags: dashless('response_flags'),
    protocol: tcpAwareProtocol(),
    status: tcpAwareStatus(),
    method: dashless('method'),
    path: dashless('path'),
    // Same heuristic as the parser: inbound + Istio SNI = mTLS, inbound + no SNI = plaintext.
    mtls:
      `{{ if hasPrefix "inbound|" .upstream_cluster }}{{ if hasPrefix "outbound_." .${SNI_ROUTE} }}mtls` +
      `{{ else if or (eq .${SNI_ROUTE} "-") (hasPrefix "- " .${SNI_ROUTE}) }}plaintext{{ else }}unknown{{ end }}{{ else }}unknown{{ end }}`,
    mtls_basis: `{{ if and (hasPrefix "inbound|" .upstream_cluster) (or (hasPrefix "outbound_." .${SNI_ROUTE}) (eq .${SNI_ROUTE} "-") (hasPrefix "- " .${SNI_ROUTE})) }}sni{{ else }}none{{ end }}`,
    authz:
      `{{ if or (hasPrefix "rbac_access_denied" .response_code_details) (eq .response_code_details "ext_authz_denied") (contains "UAEX" .response_flags) }}deny` +
      `{{ else if and (eq .response_code_details "via_upstream") ${isSuccess('status')} }}allow{{ else }}unknown{{ end }}`,
    authz_policy: capture('^rbac_access_denied_matched_policy[[](.*)[]]$', 'response_code_details'),
  }),
].join(' ');

export const istioText: Profile = {
  name: 'istio-text',
  mesh: 'istio',
  detect: fits,
  parse(line, context) {
    try {
      const split = splitBracketed(line);
      const l = pickLayout(split);
      const mismatch = layoutMismatch(split, l);
      if (mismatch) {
        throw new LineError(mismatch);
      }
      return { ok: true, record: envoyRecord(envoyFieldsFromText(split, l), 'istio-text', 'istio', context) };
    } catch (error) {
      return failure('istio-text', error);
    }
  },
  logqlStage: LOGQL_STAGE,
};
