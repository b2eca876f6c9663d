/**
 * Building blocks for the profiles' LogQL stages: Go text/template snippets for `| label_format`
 * using Loki's template functions (hasPrefix, contains, divf, ...), and captures from labels.
 * The stages are constants written here, never built from user input, so nothing needs escaping;
 * regexes avoid backslashes and backticks (`[|]`, `[.]`) so they read the same in Go, LogQL and
 * TypeScript.
 */

/** `{{ regexReplaceAll "<re>|^.*$" .<label> "${1}" }}`: the first capture, or "" when `re` does not match. */
export function capture(re: string, label: string): string {
  return `{{ regexReplaceAll "${re}|^.*$" .${label} "\${1}" }}`;
}

/** The label's value, with Envoy's "-" for "absent" turned into "" (Loki drops empty labels). */
export function dashless(label: string): string {
  return `{{ if ne .${label} "-" }}{{ .${label} }}{{ end }}`;
}

/** Labels the compiled captures use; dropped again before anything reads the result. */
export const HELPER_PREFIX = 'mesh_audit_';
export const LINE_LABEL = `${HELPER_PREFIX}line`;
let helperCount = 0;

/** A capture written by capture()/captureAs(), and the label it reads. */
const CAPTURE = /regexReplaceAll "([^"`]*)[|]\^[.][*]\$" [.]([a-z_]+) "\$\{1\}"/g;

/** The regex with its first capturing group named, for Loki's `| regexp` stage. */
function nameFirstGroup(re: string, name: string): string {
  // Index where the open character class's members start; a `]` there is a member, not the end.
  let members = -1;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (members >= 0) {
      if (c === ']' && i > members) {
        members = -1;
      }
    } else if (c === '[') {
      members = re[i + 1] === '^' ? i + 2 : i + 1;
    } else if (c === '(' && re[i + 1] !== '?') {
      return `${re.slice(0, i + 1)}?P<${name}>${re.slice(i + 1)}`;
    }
  }
  throw new Error(`capture regex ${re} has no capturing group`);
}

/**
 * `| label_format a=`tmpl`, b=`tmpl`` (backtick strings: templates contain double quotes).
 *
 * Loki compiles a template's regexReplaceAll regex on every call (pkg/logql/log/fmt.go), which
 * was ~80% of a raw query's time on a real Loki 3.7 (istio-text: 4.2 s with, 1.2 s without, for
 * 98k lines). So each capture is compiled into stages Loki compiles once per query: the source
 * label becomes the line (`line_format`), a `| regexp` with the capture named extracts it into a
 * helper label (no match sets nothing, which reads "" like the `|^.*$` fallback), and the template
 * reads the helper. The line is kept in a label and put back; the helpers are dropped.
 */
export function labelFormat(assignments: Record<string, string>): string {
  const helpers = new Map<string, { name: string; re: string; source: string }>();
  const compiled = Object.entries(assignments).map(([label, template]) => {
    const body = template.replace(CAPTURE, (_all, re: string, source: string) => {
      if (!re.startsWith('^') || !re.endsWith('$')) {
        throw new Error(`capture regex ${re} must be anchored at both ends to be compiled into a regexp stage`);
      }
      const key = `${source} ${re}`;
      let helper = helpers.get(key);
      if (!helper) {
        helper = { name: `${HELPER_PREFIX}c${++helperCount}`, re, source };
        helpers.set(key, helper);
      }
      return `.${helper.name}`;
    });
    return `${label}=\`${body}\``;
  });
  const format = `| label_format ${compiled.join(', ')}`;
  if (helpers.size === 0) {
    return format;
  }
  const extract: string[] = [];
  let current = '';
  for (const helper of [...helpers.values()].sort((a, b) => a.source.localeCompare(b.source))) {
    if (helper.source !== current) {
      extract.push(`| line_format \`{{ .${helper.source} }}\``);
      current = helper.source;
    }
    extract.push(`| regexp \`${nameFirstGroup(helper.re, helper.name)}\``);
  }
  const dropped = [LINE_LABEL, ...[...helpers.values()].map((h) => h.name)].join(', ');
  return [`| label_format ${LINE_LABEL}=\`{{ __line__ }}\``, ...extract, `| line_format \`{{ .${LINE_LABEL} }}\``, format, `| drop ${dropped}`].join(' ');
}

/** Direction from an Envoy upstream-cluster label (Istio naming). */
export function istioDirection(clusterLabel: string): string {
  return (
    `{{ if hasPrefix "inbound|" .${clusterLabel} }}inbound` +
    `{{ else if hasPrefix "outbound|" .${clusterLabel} }}outbound` +
    `{{ else }}unknown{{ end }}`
  );
}

/** 2xx/3xx with a status label holding the three-digit code. */
export function isSuccess(statusLabel: string): string {
  return `(or (hasPrefix "2" .${statusLabel}) (hasPrefix "3" .${statusLabel}))`;
}

/** `{{ $name := regexReplaceAll "<re>|^.*$" .<label> "${1}" }}`: binds the capture (or "") for later use. */
export function captureAs(name: string, re: string, label: string): string {
  return `{{ $${name} := regexReplaceAll "${re}|^.*$" .${label} "\${1}" }}`;
}

/**
 * The stream label that names the logging pod's namespace. Templates can read stream labels, so
 * the proxy's own side gets its namespace at query time as the parser gets it from LineContext.
 * Assumes the default label name (DEFAULT_LABEL_NAMES.namespace); under another name the field
 * stays empty rather than wrong.
 */
export const STREAM_NAMESPACE = '.namespace';

/** Loki 3's label for the emitting service; `unknown_service` is Loki's "none found". */
const WRITER = '(and .service_name (ne .service_name "unknown_service"))';
const WRITER_NAMESPACE = `(and ${STREAM_NAMESPACE} (ne ${STREAM_NAMESPACE} "-"))`;

function fillIf(field: string, direction: 'inbound' | 'outbound', value: string, known: string): string {
  return `{{ if .${field} }}{{ .${field} }}{{ else if and (eq .direction "${direction}") ${known} }}{{ ${value} }}{{ end }}`;
}

/**
 * The writer of a line at query time, as `fillFromContext` (record.ts) does at ingest: the
 * stream's `namespace` and `service_name` fill the side of the proxy that wrote the line, only
 * where the line left it empty. A separate stage after each profile's own, so every template
 * reads the profile's finished fields.
 */
export const WRITER_STAGE = labelFormat({
  src_workload: fillIf('src_workload', 'outbound', '.service_name', WRITER),
  src_namespace: fillIf('src_namespace', 'outbound', STREAM_NAMESPACE, WRITER_NAMESPACE),
  dst_workload: fillIf('dst_workload', 'inbound', '.service_name', WRITER),
  dst_service: fillIf('dst_service', 'inbound', '.service_name', WRITER),
  dst_namespace: fillIf('dst_namespace', 'inbound', STREAM_NAMESPACE, WRITER_NAMESPACE),
});

/** The caller's service account in a Linkerd `client.id` (linkerd-record.ts): its workload, unless `default`. */
export const LINKERD_CALLER_WORKLOAD =
  `{{ $sa := regexReplaceAll "^([^.]+)[.][^.]+[.]serviceaccount[.]identity[.]linkerd[.].*$|^.*$" .src_identity "\${1}" }}` +
  `{{ if ne $sa "default" }}{{ $sa }}{{ end }}`;

/** The caller a SPIFFE id in `src_identity` names (identity.ts workloadOfSpiffe): Consul's `svc`, else a non-default `sa`. */
export const SPIFFE_CALLER_WORKLOAD =
  `{{ $svc := regexReplaceAll "^spiffe://[^/]+/(?:.*/)?svc/([^/]+)(/.*)?$|^.*$" .src_identity "\${1}" }}` +
  `{{ $sa := regexReplaceAll "^spiffe://[^/]+/(?:.*/)?sa/([^/]+)(/.*)?$|^.*$" .src_identity "\${1}" }}` +
  `{{ if $svc }}{{ $svc }}{{ else if ne $sa "default" }}{{ $sa }}{{ end }}`;

/** Namespace inside a SPIFFE id `spiffe://<td>/ns/<ns>/...`. */
export const SPIFFE_NAMESPACE_RE = '^spiffe://[^/]+/ns/([^/]+)(/.*)?$';

const ABSENT = (label: string) => `(or (eq .${label} "-") (eq .${label} ""))`;

/** Envoy logs a TCP connection with the request line "- - -": protocol TCP, as the parser says. */
export function tcpAwareProtocol(): string {
  return `{{ if and ${ABSENT('method')} ${ABSENT('protocol')} }}TCP{{ else if ne .protocol "-" }}{{ .protocol }}{{ end }}`;
}

/** ... and no HTTP status (Envoy prints 0). */
export function tcpAwareStatus(): string {
  return `{{ if not (and ${ABSENT('method')} ${ABSENT('protocol')}) }}{{ .status }}{{ end }}`;
}
