/**
 * Plain Envoy JSON access logs (Envoy has no default JSON format: Envoy Gateway's default and
 * Istio-style key sets are read). Cluster names follow no mesh scheme here, so direction, callee
 * service and mTLS come out unknown unless peer-SAN keys are logged.
 */
import { envoyJsonKind, envoyJsonProfile } from './envoy-json-profile';
import { AUTHZ_TEMPLATES, ENVOY_JSON_FIELDS, labelFormat } from './envoy-json-stage';

/**
 * Envoy Gateway names some keys after headers; they are extracted under other names (bracket form:
 * the keys hold `-` and `:`) and merged, the Istio-style key winning when both exist.
 */
const LOGQL_STAGE = [
  ENVOY_JSON_FIELDS +
    ', eg_path=`["x-envoy-origin-path"]`, eg_request_id=`["x-request-id"]`, eg_authority=`[":authority"]`',
  labelFormat({
    path: `{{ if .path }}{{ .path }}{{ else }}{{ .eg_path }}{{ end }}`,
    request_id: `{{ if .request_id }}{{ .request_id }}{{ else }}{{ .eg_request_id }}{{ end }}`,
    authority: `{{ if .authority }}{{ .authority }}{{ else }}{{ .eg_authority }}{{ end }}`,
    direction: 'unknown',
    mtls: `{{ if or (hasPrefix "spiffe://" .src_identity) (hasPrefix "spiffe://" .dst_identity) }}mtls{{ else }}unknown{{ end }}`,
    mtls_basis: `{{ if or (hasPrefix "spiffe://" .src_identity) (hasPrefix "spiffe://" .dst_identity) }}peer-identity{{ else }}none{{ end }}`,
    ...AUTHZ_TEMPLATES,
  }),
].join(' ');

export const envoyJson = envoyJsonProfile('envoy-json', 'envoy', (line) => envoyJsonKind(line) !== null, LOGQL_STAGE);
