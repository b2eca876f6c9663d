/**
 * Plain Envoy JSON access logs (Envoy has no default JSON format: Envoy Gateway's default and
 * Istio-style key sets are read). Cluster names follow no mesh scheme here, so direction, callee
 * service and mTLS come out unknown unless peer-SAN keys are logged.
 */
import { envoyJsonKind, envoyJsonProfile } from './envoy-json-profile';
import { AUTHZ_TEMPLATES, ENVOY_JSON_FIELDS, labelFormat } from './envoy-json-stage';

/** Envoy Gateway's header-named keys are not read by this stage (only the Istio-style key names). */
const LOGQL_STAGE = [
  ENVOY_JSON_FIELDS,
  labelFormat({
    direction: 'unknown',
    mtls: `{{ if or (hasPrefix "spiffe://" .src_identity) (hasPrefix "spiffe://" .dst_identity) }}mtls{{ else }}unknown{{ end }}`,
    mtls_basis: `{{ if or (hasPrefix "spiffe://" .src_identity) (hasPrefix "spiffe://" .dst_identity) }}peer-identity{{ else }}none{{ end }}`,
    ...AUTHZ_TEMPLATES,
  }),
].join(' ');

export const envoyJson = envoyJsonProfile('envoy-json', 'envoy', (line) => envoyJsonKind(line) !== null, LOGQL_STAGE);
