/** Istio sidecar/gateway JSON access log (meshConfig.accessLogEncoding=JSON, EnvoyJSONLogFormatIstio). */
import { envoyJsonKind, envoyJsonProfile } from './envoy-json-profile';
import { AUTHZ_TEMPLATES, ENVOY_JSON_FIELDS, labelFormat, mtlsTemplates } from './envoy-json-stage';
import { capture, istioDirection } from './logql-templates';

const INBOUND = '(hasPrefix "inbound|" .upstream_cluster)';

/**
 * Not derivable at query time: src_workload/src_namespace of inbound lines and dst_workload (they
 * are the proxy pod's stream labels), namespaces inside SPIFFE ids (left in src_identity/dst_identity).
 */
const LOGQL_STAGE = [
  ENVOY_JSON_FIELDS,
  labelFormat({
    direction: istioDirection('upstream_cluster'),
    dst_service:
      capture('^outbound[|][^|]*[|][^|]*[|]([^.|]+).*$', 'upstream_cluster') +
      `{{ if ${INBOUND} }}${capture('^outbound_[.][0-9]*_[.][^_]*_[.]([^.]+)[.].*$', 'requested_server_name')}{{ end }}`,
    dst_namespace:
      capture('^outbound[|][^|]*[|][^|]*[|][^.|]+[.]([^.]+)[.]svc([.].*)?$', 'upstream_cluster') +
      `{{ if ${INBOUND} }}${capture('^outbound_[.][0-9]*_[.][^_]*_[.][^.]+[.]([^.]+)[.]svc.*$', 'requested_server_name')}{{ end }}`,
    dst_port: capture('^(?:in|out)bound[|]([0-9]+)[|].*$', 'upstream_cluster'),
    ...mtlsTemplates(INBOUND, '(hasPrefix "outbound_." .requested_server_name)'),
    ...AUTHZ_TEMPLATES,
  }),
].join(' ');

export const istioJson = envoyJsonProfile(
  'istio-json',
  'istio',
  (line) => envoyJsonKind(line) === 'istio-json',
  LOGQL_STAGE
);
