/**
 * Consul service mesh Envoy access log (proxy-defaults AccessLogs, default JSON: the Istio key set
 * with %UPSTREAM_CLUSTER%; hashicorp/consul agent/xds/accesslogs/accesslogs.go). Upstream clusters
 * and SNI are `<svc>.<ns>[.<partition>].<dc>.internal[-v1].<trust-domain>.consul`; the local
 * application cluster (inbound) is `local_app`.
 */
import { envoyJsonKind, envoyJsonProfile } from './envoy-json-profile';
import { AUTHZ_TEMPLATES, ENVOY_JSON_FIELDS, labelFormat, mtlsTemplates } from './envoy-json-stage';
import { capture } from './logql-templates';

const INBOUND = '(eq .upstream_cluster "local_app")';
const OUTBOUND = '(hasSuffix ".consul" .upstream_cluster)';
const CONSUL_SERVICE = '^([^.]+)[.][^.]+[.].+[.](?:internal|internal-v1|external)[.].+[.]consul$';
const CONSUL_NAMESPACE = '^[^.]+[.]([^.]+)[.].+[.](?:internal|internal-v1|external)[.].+[.]consul$';

/**
 * Not derivable at query time: the proxy's own workload/namespace (stream labels), and partitions
 * (the namespace is always taken from the second label of the Consul name).
 */
const LOGQL_STAGE = [
  ENVOY_JSON_FIELDS,
  labelFormat({
    direction: `{{ if ${INBOUND} }}inbound{{ else if ${OUTBOUND} }}outbound{{ else }}unknown{{ end }}`,
    dst_service:
      capture(CONSUL_SERVICE, 'upstream_cluster') +
      `{{ if ${INBOUND} }}${capture(CONSUL_SERVICE, 'requested_server_name')}{{ end }}`,
    dst_namespace:
      capture(CONSUL_NAMESPACE, 'upstream_cluster') +
      `{{ if ${INBOUND} }}${capture(CONSUL_NAMESPACE, 'requested_server_name')}{{ end }}`,
    ...mtlsTemplates(INBOUND, '(hasSuffix ".consul" .requested_server_name)'),
    ...AUTHZ_TEMPLATES,
  }),
].join(' ');

export const consul = envoyJsonProfile('consul', 'consul', (line) => envoyJsonKind(line) === 'consul', LOGQL_STAGE);
