/**
 * Plain Envoy's built-in default text format (Envoy docs, "Default format string"), used by Envoy
 * without a mesh, Contour, Envoy Gateway's text log and AWS App Mesh. It has no upstream cluster,
 * SNI or peer fields, so direction, callee service and mTLS are unknown.
 */
import type { Profile } from './types';
import { envoyRecord } from './envoy-record';
import { envoyFieldsFromText } from './envoy-text-fields';
import { layout, layoutMismatch, splitBracketed } from './text-fields';
import { dashless, isSuccess, labelFormat } from './logql-templates';
import { LineError } from './values';
import { failure } from './result';

const DEFAULT = layout(
  'Envoy default text format',
  '"request" response_code response_flags bytes_received bytes_sent duration upstream_service_time "x_forwarded_for" "user_agent" "request_id" "authority" "upstream_host"'
);

/**
 * Not derivable at query time (nor by the parser): direction, src_*, dst_service/namespace/workload,
 * mtls (always unknown/none here). authz is "allow" only for 2xx/3xx that reached an upstream host.
 */
const LOGQL_STAGE = [
  '| pattern `[<start_time>] "<method> <path> <protocol>" <status> <response_flags> <bytes_in> <bytes_out> <duration_ms> <_> "<_>" "<_>" "<request_id>" "<authority>" "<upstream_host>"`',
  labelFormat({
    response_flags: dashless('response_flags'),
    dst_address: dashless('upstream_host'),
    direction: 'unknown',
    mtls: 'unknown',
    mtls_basis: 'none',
    authz: `{{ if contains "UAEX" .response_flags }}deny{{ else if and (ne .upstream_host "-") ${isSuccess('status')} }}allow{{ else }}unknown{{ end }}`,
  }),
].join(' ');

export const envoyText: Profile = {
  name: 'envoy-text',
  mesh: 'envoy',
  detect(line) {
    if (line.charCodeAt(0) !== 91 /* [ */) {
      return false;
    }
    try {
      return layoutMismatch(splitBracketed(line), DEFAULT) === null;
    } catch {
      return false;
    }
  },
  parse(line, context) {
    try {
      const split = splitBracketed(line);
      const mismatch = layoutMismatch(split, DEFAULT);
      if (mismatch) {
        throw new LineError(mismatch);
      }
      return { ok: true, record: envoyRecord(envoyFieldsFromText(split, DEFAULT), 'envoy-text', 'envoy', context) };
    } catch (error) {
      return failure('envoy-text', error);
    }
  },
  logqlStage: LOGQL_STAGE,
};
