/**
 * Consul service mesh Envoy access log (proxy-defaults AccessLogs, default JSON: the Istio key set
 * with %UPSTREAM_CLUSTER%; hashicorp/consul agent/xds/accesslogs/accesslogs.go). Upstream clusters
 * and SNI are `<svc>.<ns>[.<partition>].<dc>.internal[-v1].<trust-domain>.consul`; the local
 * application cluster (inbound) is `local_app`.
 */
import { envoyJsonKind, envoyJsonProfile } from './envoy-json-profile';
import { AUTHZ_TEMPLATES, ENVOY_JSON_FIELDS, labelFormat, mtlsTemplates } from './envoy-json-stage';
import { SPIFFE_CALLER_WORKLOAD, SPIFFE_NAMESPACE_RE, STREAM_NAMESPACE, capture, captureAs } from './logql-templates';

const INBOUND = '(eq .upstream_cluster "local_app")';
const OUTBOUND = '(hasSuffix ".consul" .upstream_cluster)';
const CONSUL_SERVICE = '^([^.]+)[.][^.]+[.].+[.](?:internal|internal-v1|external)[.].+[.]consul$';
const CONSUL_NAMESPACE = '^[^.]+[.]([^.]+)[.].+[.](?:internal|internal-v1|external)[.].+[.]consul$';

/**
 * The proxy's own namespace comes from the `namespace` stream label. Not derivable at query time:
 * the proxy's own workload, and partitions (the namespace is always the second label of the name).
 */
const LOGQL_STAGE = [
  ENVOY_JSON_FIELDS,
  labelFormat({
    direction: `{{ if ${INBOUND} }}inbound{{ else if ${OUTBOUND} }}outbound{{ else }}unknown{{ end }}`,
    dst_service:
      capture(CONSUL_SERVICE, 'upstream_cluster') +
      `{{ if ${INBOUND} }}${capture(CONSUL_SERVICE, 'requested_server_name')}{{ end }}`,
    dst_namespace:
      captureAs('cluster', CONSUL_NAMESPACE, 'upstream_cluster') +
      captureAs('sni', CONSUL_NAMESPACE, 'requested_server_name') +
      `{{ if $cluster }}{{ $cluster }}{{ else if ${INBOUND} }}{{ if $sni }}{{ $sni }}{{ else }}{{ ${STREAM_NAMESPACE} }}{{ end }}{{ end }}`,
    src_workload: SPIFFE_CALLER_WORKLOAD,
    src_namespace: `{{ if ${OUTBOUND} }}{{ ${STREAM_NAMESPACE} }}{{ else }}${capture(SPIFFE_NAMESPACE_RE, 'src_identity')}{{ end }}`,
    ...mtlsTemplates(INBOUND, '(hasSuffix ".consul" .requested_server_name)'),
    ...AUTHZ_TEMPLATES,
  }),
].join(' ');

export const consul = envoyJsonProfile('consul', 'consul', (line) => envoyJsonKind(line) === 'consul', LOGQL_STAGE);
