/** Linkerd proxy JSON access log (`config.linkerd.io/access-log: json`). */
import type { Profile } from './types';
import { linkerdRecord } from './linkerd-record';
import { hasJsonKey, looksLikeJsonObject, parseJsonObject } from './json-line';
import { LINKERD_CALLER_WORKLOAD, STREAM_NAMESPACE, isSuccess, labelFormat } from './logql-templates';
import { failure } from './result';
import { LineError, authorityOfUri, numberValue, pathOfUri, textValue, utcTimestamp } from './values';

function nanosToMs(value: unknown, field: string): number | null {
  const ns = numberValue(value, field);
  return ns === null ? null : ns / 1e6;
}

/**
 * `| json` turns `client.id` into the label `client_id` (dots are not allowed in label names).
 * Not derivable at query time: dst_workload (pod/app are not stream labels),
 * src_namespace inside client.id (kept whole in src_identity), dst_service from absolute URIs.
 */
const LOGQL_STAGE = [
  // Keys with a dot need Loki's bracket form: a bare `client.id` would mean the nested path client → id.
  '| json timestamp, src_address=`["client.addr"]`, src_identity=`["client.id"]`, authority="host", method, uri, protocol="version", ' +
    'status, total_ns, bytes_in="request_bytes", bytes_out="response_bytes", trace_id',
  labelFormat({
    direction: 'inbound',
    // Linkerd logs on the callee's proxy: the callee's namespace is the stream's.
    dst_namespace: `{{ ${STREAM_NAMESPACE} }}`,
    src_identity: `{{ if ne .src_identity "-" }}{{ .src_identity }}{{ end }}`,
    src_namespace: `{{ regexReplaceAll "^[^.]+[.]([^.]+)[.]serviceaccount[.]identity[.]linkerd[.].*$|^.*$" .src_identity "\${1}" }}`,
    src_workload: LINKERD_CALLER_WORKLOAD,
    duration_ms: `{{ if .total_ns }}{{ divf .total_ns 1000000 }}{{ end }}`,
    path: `{{ regexReplaceAll "^[a-z]+://[^/]*" .uri "" }}`,
    mtls: `{{ if or (eq .src_identity "-") (eq .src_identity "") }}plaintext{{ else }}mtls{{ end }}`,
    mtls_basis: 'peer-identity',
    authz: `{{ if ${isSuccess('status')} }}allow{{ else }}unknown{{ end }}`,
  }),
].join(' ');

export const linkerdJson: Profile = {
  name: 'linkerd-json',
  mesh: 'linkerd',
  detect: (line) => looksLikeJsonObject(line) && (hasJsonKey(line, 'client.id') || hasJsonKey(line, 'client.addr')),
  parse(line, context) {
    try {
      const o = parseJsonObject(line);
      if (!('client.addr' in o) && !('client.id' in o)) {
        throw new LineError('no Linkerd access-log keys (client.addr, client.id) in this object');
      }
      const uri = textValue(o.uri, 'uri');
      const record = linkerdRecord(
        {
          timestamp: utcTimestamp(o.timestamp, 'timestamp'),
          clientAddr: textValue(o['client.addr'], 'client.addr'),
          clientId: textValue(o['client.id'], 'client.id'),
          authority: textValue(o.host, 'host') ?? (uri === null ? null : authorityOfUri(uri)),
          method: textValue(o.method, 'method'),
          path: uri === null ? null : pathOfUri(uri),
          protocol: textValue(o.version, 'version'),
          status: numberValue(o.status, 'status'),
          durationMs: nanosToMs(o.total_ns, 'total_ns'),
          bytesIn: numberValue(o.request_bytes, 'request_bytes'),
          bytesOut: numberValue(o.response_bytes, 'response_bytes'),
          traceId: textValue(o.trace_id, 'trace_id'),
        },
        'linkerd-json',
        context
      );
      return { ok: true, record };
    } catch (error) {
      return failure('linkerd-json', error);
    }
  },
  logqlStage: LOGQL_STAGE,
};
