/** Istio sidecar/gateway JSON access log (meshConfig.accessLogEncoding=JSON, EnvoyJSONLogFormatIstio). */
import { envoyJsonKind, envoyJsonProfile } from './envoy-json-profile';
import { AUTHZ_TEMPLATES, ENVOY_JSON_FIELDS, labelFormat, mtlsTemplates } from './envoy-json-stage';
import { SPIFFE_CALLER_WORKLOAD, SPIFFE_NAMESPACE_RE, STREAM_NAMESPACE, capture, captureAs, istioDirection } from './logql-templates';

const INBOUND = '(hasPrefix "inbound|" .upstream_cluster)';

/**
 * The proxy's own namespace comes from the `namespace` stream label; an inbound caller's namespace
 * from its SPIFFE id. Not derivable at query time: src_workload/dst_workload (pod and app are not
 * stream labels), the namespace inside an upstream SPIFFE id.
 */
const LOGQL_STAGE = [
  ENVOY_JSON_FIELDS,
  labelFormat({
    direction: istioDirection('upstream_cluster'),
    dst_service:
      capture('^outbound[|][^|]*[|][^|]*[|]([^.|]+).*$', 'upstream_cluster') +
      `{{ if ${INBOUND} }}${capture('^outbound_[.][0-9]*_[.][^_]*_[.]([^.]+)[.].*$', 'requested_server_name')}{{ end }}`,
    dst_namespace:
      captureAs('cluster', '^outbound[|][^|]*[|][^|]*[|][^.|]+[.]([^.]+)[.]svc([.].*)?$', 'upstream_cluster') +
      captureAs('sni', '^outbound_[.][0-9]*_[.][^_]*_[.][^.]+[.]([^.]+)[.]svc.*$', 'requested_server_name') +
      `{{ if $cluster }}{{ $cluster }}{{ else if ${INBOUND} }}{{ if $sni }}{{ $sni }}{{ else }}{{ ${STREAM_NAMESPACE} }}{{ end }}{{ end }}`,
    src_workload: SPIFFE_CALLER_WORKLOAD,
    src_namespace:
      `{{ if hasPrefix "outbound|" .upstream_cluster }}{{ ${STREAM_NAMESPACE} }}` +
      `{{ else }}${capture(SPIFFE_NAMESPACE_RE, 'src_identity')}{{ end }}`,
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
