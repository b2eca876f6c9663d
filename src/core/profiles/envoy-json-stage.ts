/**
 * Query-time parsing shared by the Envoy JSON profiles. `| json` reads keys in any order and
 * typed or string values alike (a JSON null becomes an empty label, "-" is turned into "").
 */
import { capture, dashless, isSuccess, labelFormat, tcpAwareProtocol, tcpAwareStatus } from './logql-templates';

export const ENVOY_JSON_FIELDS =
  '| json start_time, method, path, protocol, status="response_code", response_flags, response_code_details, ' +
  'duration_ms="duration", bytes_in="bytes_received", bytes_out="bytes_sent", request_id, authority, upstream_host, ' +
  'upstream_cluster, requested_server_name, src_address="downstream_remote_address", downstream_local_address, ' +
  'src_identity="downstream_peer_uri_san", dst_identity="upstream_peer_uri_san"';

const NO_SNI = '(or (eq .requested_server_name "-") (eq .requested_server_name ""))';

/** Peer SAN first (proof), then the given SNI test on inbound lines (inference). */
export function mtlsTemplates(inbound: string, meshSni: string): { mtls: string; mtls_basis: string } {
  const peerProof = `(or (hasPrefix "spiffe://" .src_identity) (and (not ${inbound}) (hasPrefix "spiffe://" .dst_identity)))`;
  return {
    mtls:
      `{{ if ${peerProof} }}mtls{{ else if ${inbound} }}` +
      `{{ if ${meshSni} }}mtls{{ else if ${NO_SNI} }}plaintext{{ else }}unknown{{ end }}{{ else }}unknown{{ end }}`,
    mtls_basis: `{{ if ${peerProof} }}peer-identity{{ else if and ${inbound} (or ${meshSni} ${NO_SNI}) }}sni{{ else }}none{{ end }}`,
  };
}

export const AUTHZ_TEMPLATES = {
  authz:
    `{{ if or (hasPrefix "rbac_access_denied" .response_code_details) (eq .response_code_details "ext_authz_denied") (contains "UAEX" .response_flags) }}deny` +
    `{{ else if and (eq .response_code_details "via_upstream") ${isSuccess('status')} }}allow{{ else }}unknown{{ end }}`,
  authz_policy: capture('^rbac_access_denied_matched_policy[[](.*)[]]$', 'response_code_details'),
  response_flags: dashless('response_flags'),
  protocol: tcpAwareProtocol(),
  status: tcpAwareStatus(),
  method: dashless('method'),
};

export { labelFormat };
