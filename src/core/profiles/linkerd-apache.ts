/**
 * Linkerd proxy access log in Apache Common Log form (`config.linkerd.io/access-log: apache`):
 * `<client.addr> <client.id|-> - [<RFC 3339 ns>] "<METHOD> <uri> <version>" <status>`.
 */
import type { Profile } from './types';
import { linkerdRecord } from './linkerd-record';
import { LINKERD_CALLER_WORKLOAD, STREAM_NAMESPACE, isSuccess, labelFormat } from './logql-templates';
import { failure } from './result';
import { splitRequestLine } from './text-fields';
import { LineError, authorityOfUri, numberValue, pathOfUri, textValue, utcTimestamp } from './values';

const APACHE = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "([^"]*)" (\S+)\s*$/;

/**
 * Not derivable at query time: dst_workload (pod/app are not stream labels), duration and bytes
 * (the format has none), dst_service for origin-form URIs.
 */
const LOGQL_STAGE = [
  '| pattern `<src_address> <src_identity> <_> [<timestamp>] "<method> <uri> <protocol>" <status>`',
  labelFormat({
    direction: 'inbound',
    // Linkerd logs on the callee's proxy: the callee's namespace is the stream's.
    dst_namespace: `{{ ${STREAM_NAMESPACE} }}`,
    src_identity: `{{ if ne .src_identity "-" }}{{ .src_identity }}{{ end }}`,
    src_namespace: `{{ regexReplaceAll "^[^.]+[.]([^.]+)[.]serviceaccount[.]identity[.]linkerd[.].*$|^.*$" .src_identity "\${1}" }}`,
    src_workload: LINKERD_CALLER_WORKLOAD,
    path: `{{ regexReplaceAll "^[a-z]+://[^/]*" .uri "" }}`,
    mtls: `{{ if eq .src_identity "-" }}plaintext{{ else }}mtls{{ end }}`,
    mtls_basis: 'peer-identity',
    authz: `{{ if ${isSuccess('status')} }}allow{{ else }}unknown{{ end }}`,
  }),
].join(' ');

export const linkerdApache: Profile = {
  name: 'linkerd-apache',
  mesh: 'linkerd',
  detect: (line) => APACHE.test(line),
  parse(line, context) {
    try {
      const m = APACHE.exec(line);
      if (!m) {
        throw new LineError(
          'expected `<client.addr> <client.id|-> - [<timestamp>] "<method> <uri> <version>" <status>`'
        );
      }
      const request = splitRequestLine(m[5]);
      const record = linkerdRecord(
        {
          timestamp: utcTimestamp(m[4], 'timestamp'),
          clientAddr: textValue(m[1], 'client.addr'),
          clientId: textValue(m[2], 'client.id'),
          authority: request.path === null ? null : authorityOfUri(request.path),
          method: request.method,
          path: request.path === null ? null : pathOfUri(request.path),
          protocol: request.protocol,
          status: numberValue(m[6], 'status'),
          durationMs: null,
          bytesIn: null,
          bytesOut: null,
          traceId: null,
        },
        'linkerd-apache',
        context
      );
      return { ok: true, record };
    } catch (error) {
      return failure('linkerd-apache', error);
    }
  },
  logqlStage: LOGQL_STAGE,
};
