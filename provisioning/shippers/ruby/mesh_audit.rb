# frozen_string_literal: true

# Mesh Audit for the Ruby shippers (the Fluentd filter plugin and the Logstash ruby filter): where
# a line came from (the node's log layout), redaction of the raw line, its format, parsing, and one
# common-schema JSON record (DESIGN.md "The common schema") with the writer's side filled from the
# file's place, the request's own time and the six stream labels. The rules mirror the suite's
# parsers (src/core/profiles); test/shippers/ruby*.test.ts runs this file on real and loggen lines.
require 'json'
require_relative 'mesh_audit_records'
require_relative 'mesh_audit_hubble'

module MeshAudit
  MASK = 'REDACTED'

  REDACTIONS = [
    [/(eyJ[A-Za-z0-9_-]{4,}[.][A-Za-z0-9_-]{4,}[.][A-Za-z0-9_-]*)/, ->(_m) { MASK }],
    [/\b(bearer|basic|digest)(\s+)[A-Za-z0-9._~+\/=-]+/i, ->(m) { "#{m[1]}#{m[2]}#{MASK}" }],
    [/([?&;](?:api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|id[_-]?token|token|auth|password|passwd|pwd|secret|client[_-]?secret|sig|signature|x-amz-signature|session|sessionid)=)[^&;#\s"]+/i,
     ->(m) { "#{m[1]}#{MASK}" }],
    [/("(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api_key|password|token)"\s*:\s*")(?:[^"\\]|\\.)*"/i,
     ->(m) { "#{m[1]}#{MASK}\"" }],
    [%r{(://[^/\s:@"]*:)[^/\s@"]+@}, ->(m) { "#{m[1]}#{MASK}@" }],
    [/[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:[.][A-Za-z0-9-]+)*[.][A-Za-z]{2,}/, ->(_m) { MASK }]
  ].freeze

  def self.redact(line)
    REDACTIONS.reduce(line) { |acc, (re, repl)| acc.gsub(re) { repl.call(Regexp.last_match) } }
  end

  # A line that cannot become a record; the message says which field and why.
  class LineError < StandardError; end

  MESH_OF = {
    'istio-text' => 'istio', 'istio-json' => 'istio', 'envoy-text' => 'envoy', 'envoy-json' => 'envoy',
    'consul' => 'consul', 'linkerd-json' => 'linkerd', 'linkerd-apache' => 'linkerd',
    'kuma-http' => 'kuma', 'kuma-tcp' => 'kuma', 'hubble-json' => 'cilium'
  }.freeze

  FIELDS = %w[timestamp mesh format direction src_workload src_namespace src_identity src_address dst_service
              dst_namespace dst_workload dst_identity dst_address dst_port protocol method path status response_flags
              duration_ms bytes_in bytes_out mtls mtls_basis authz authz_policy request_id trace_id].freeze

  # The field a format's parser must have produced: without it the line did not fit.
  REQUIRED = {
    'istio-text' => 'upstream_cluster', 'envoy-text' => 'upstream_host', 'linkerd-apache' => 'client_addr',
    'kuma-http' => 'destination_service', 'kuma-tcp' => 'destination_service'
  }.freeze

  # The Promtail regexes (Onigmo, as Fluentd's regexp parser); Logstash greps with its own copy.
  PARSERS = {
    'istio-text' => /^(?<layout>\[)(?<start_time>[^\]]*)\] "(?<method>[^ "]*) (?<path>(?:[^"]|"[^ ])*) (?<protocol>[^ "]*)" (?<response_code>[^"\s]\S*) (?<response_flags>[^"\s]\S*) (?:(?<response_code_details>[^" ]\S*) (?<connection_termination_details>[^"\s]\S*) "(?:[^"]|"[^ ])*"|"(?:[^"]|"[^ ])*"(?: "(?:[^"]|"[^ ])*")?) (?<bytes_received>[^"\s]\S*) (?<bytes_sent>[^"\s]\S*) (?<duration>[^"\s]\S*) [^"\s]\S* "(?:[^"]|"[^ ])*" "(?:[^"]|"[^ ])*" "(?<request_id>(?:[^"]|"[^ ])*)" "(?<authority>(?:[^"]|"[^ ])*)" "(?<upstream_host>(?:[^"]|"[^ ])*)" (?<upstream_cluster>[^"\s]\S*) [^"\s]\S* (?<downstream_local_address>[^"\s]\S*) (?<downstream_remote_address>[^"\s]\S*) (?<requested_server_name>[^"\s]\S*)(?: [^"\s]\S*)?[ \t\r]*$/,
    'envoy-text' => /^(?<layout>\[)(?<start_time>[^\]]*)\] "(?<method>[^ "]*) (?<path>(?:[^"]|"[^ ])*) (?<protocol>[^ "]*)" (?<response_code>[^"\s]\S*) (?<response_flags>[^"\s]\S*) (?<bytes_received>[^"\s]\S*) (?<bytes_sent>[^"\s]\S*) (?<duration>[^"\s]\S*) [^"\s]\S* "(?:[^"]|"[^ ])*" "(?:[^"]|"[^ ])*" "(?<request_id>(?:[^"]|"[^ ])*)" "(?<authority>(?:[^"]|"[^ ])*)" "(?<upstream_host>(?:[^"]|"[^ ])*)"[ \t\r]*$/,
    'linkerd-apache' => /^(?<client_addr>\S+) (?<client_id>\S+) \S+ (?<layout>\[)(?<timestamp>[^\]]+)\] "(?<method>[^ "]*) (?<uri>[^"]*) (?<protocol>[^ "]*)" (?<response_code>\S+)\s*$/,
    'kuma-http' => /^(?<layout>\[)(?<start_time>[^\]]*)\] [^"\s]\S* "(?<method>[^ "]*) (?<path>(?:[^"]|"[^ ])*) (?<protocol>[^ "]*)" (?<response_code>[^"\s]\S*) (?<response_flags>[^"\s]\S*) (?<bytes_received>[^"\s]\S*) (?<bytes_sent>[^"\s]\S*) (?<duration>[^"\s]\S*) [^"\s]\S* "(?:[^"]|"[^ ])*" "(?:[^"]|"[^ ])*" "(?<trace_id>(?:[^"]|"[^ ])*)" "(?<request_id>(?:[^"]|"[^ ])*)" "(?:[^"]|"[^ ])*" "(?<source_service>(?:[^"]|"[^ ])*)" "(?<destination_service>(?:[^"]|"[^ ])*)" "(?<source_address>(?:[^"]|"[^ ])*)" "(?<upstream_host>(?:[^"]|"[^ ])*)"[ \t\r]*$/,
    'kuma-tcp' => /^(?<layout>\[)(?<start_time>[^\]]+)\] (?<response_flags>\S+) \S+ (?<source_address>\S*)\((?<source_service>[^()]*)\)->(?<upstream_host>\S*)\((?<destination_service>[^()]*)\) took (?<duration>\S+)ms, sent (?<bytes_sent>\S+) bytes, received: (?<bytes_received>\S+) bytes\s*$/,
  }.freeze

  MESH_OF_CONTAINER = {
    'istio-proxy' => 'istio', 'linkerd-proxy' => 'linkerd', 'consul-dataplane' => 'consul',
    'envoy-sidecar' => 'consul', 'kuma-sidecar' => 'kuma', 'envoy' => 'envoy'
  }.freeze

  POD_LOG = %r{/([^/]+)/pods/([^/_]+)_([^/_]+)_[^/]+/([^/]+)/[^/]+\.log\z}
  VM_LOG = %r{/([^/]+)/vms/([^/]+)/([^/]+)/([\w-]+)\.log\z}
  CRI = /\A\S+ (?:stdout|stderr) [FP] /

  module_function

  # Kubernetes: [<root>/<cluster>]/pods/<namespace>_<pod>_<uid>/<container>/<n>.log (CRI-framed);
  # VMs: <root>/<cluster>/vms/<namespace>/<workload>/<format>.log; Hubble's node export file. A
  # node's own /var/log/pods names no cluster: the DaemonSet sets CLUSTER_NAME.
  def source_of(path)
    path = path.to_s
    if (m = POD_LOG.match(path))
      cluster = path.start_with?('/var/log/pods/') ? node_cluster : m[1]
      return { platform: 'kubernetes', cluster: cluster, namespace: m[2], pod: m[3], container: m[4],
               service_name: m[3][POD_HASH, 1] || m[3], mesh: MESH_OF_CONTAINER[m[4]] }
    end
    if (m = VM_LOG.match(path))
      return { platform: 'vm', cluster: m[1], namespace: m[2], service_name: m[3], format: m[4], mesh: MESH_OF[m[4]] }
    end
    return { platform: 'kubernetes', cluster: node_cluster, format: 'hubble-json', mesh: 'cilium' } if path.end_with?('/hubble/events.log')

    { platform: 'unknown', cluster: 'unknown' }
  end

  def node_cluster
    name = ENV.fetch('CLUSTER_NAME', '')
    name.empty? ? 'unknown' : name
  end

  # A proxy container's line by its shape (the tests of promtail.k8s.yaml); nil: not an access log.
  def pod_format(container, line)
    json = line.match?(/\A\s*\{/)
    bracket = line.start_with?('[')
    case container
    when 'istio-proxy' then (json && 'istio-json') || (bracket && 'istio-text') || nil
    when 'consul-dataplane', 'envoy-sidecar' then json ? 'consul' : nil
    when 'linkerd-proxy' then (json && 'linkerd-json') || (line.match?(/\A\S+ \S+ \S+ \[/) && 'linkerd-apache') || nil
    when 'kuma-sidecar'
      return nil unless bracket

      line.include?(')->') ? (line.include?(' took ') ? 'kuma-tcp' : nil) : 'kuma-http'
    when 'envoy' then (json && 'envoy-json') || (bracket && 'envoy-text') || nil
    end
  end

  # The raw line as read -> { 'format', 'message' (unframed, redacted) }, or nil for a line that is
  # not an access log. The CRI time is when the runtime wrote the line, not the request's: dropped.
  def route(raw, path)
    return nil unless raw.is_a?(String)

    src = source_of(path)
    line = raw
    format = src[:format]
    if src[:container]
      line = raw.sub(CRI, '')
      format = pod_format(src[:container], line)
      return nil if format.nil?
    end
    { 'format' => format, 'message' => redact(line) }
  end

  # The format's parser on a redacted line: its fields, or nil when the line does not fit.
  def parse(format, line)
    regex = PARSERS[format]
    return regex.match(line)&.named_captures&.compact if regex

    value = JSON.parse(line)
    value.is_a?(Hash) ? value : nil
  rescue JSON::ParserError
    nil
  end

  def build(format, fields)
    f = fields.reject { |_k, v| v == '' }
    case format
    when 'istio-text', 'envoy-text' then envoy_record(f, format)
    when 'istio-json', 'consul', 'envoy-json'
      unless f.key?('response_code') || f.key?('upstream_cluster') || (f.key?('start_time') && (f.key?('method') || f.key?('upstream_host')))
        raise LineError, 'no Envoy access-log keys (response_code, upstream_cluster, start_time) in this object'
      end

      f['path'] = f['x-envoy-origin-path'] unless f.key?('path')
      f['request_id'] = f['x-request-id'] unless f.key?('request_id')
      envoy_record(f, format)
    when 'linkerd-json'
      raise LineError, 'no Linkerd access-log keys (client.addr, client.id) in this object' unless f.key?('client.addr') || f.key?('client.id')

      linkerd_record(f, format)
    when 'linkerd-apache' then linkerd_record(f, format)
    when 'kuma-http', 'kuma-tcp' then kuma_record(f, format)
    when 'hubble-json' then hubble_record(fields)
    else raise LineError, "unknown access-log format #{format}"
    end
  end

  # The writer's side from its stream (src/core/profiles/record.ts fillFromContext): an inbound
  # line's callee, an outbound line's caller; only what the line did not say.
  def fill_writer(r, namespace, workload)
    case r['direction']
    when 'inbound'
      r['dst_workload'] ||= workload
      r['dst_service'] ||= workload
      r['dst_namespace'] ||= namespace
    when 'outbound'
      r['src_workload'] ||= workload
      r['src_namespace'] ||= namespace
    end
  end

  # RFC 3339 UTC text (as `timestamp` normalised it) -> [seconds, nanoseconds], exact.
  def time_of(text)
    m = /\A(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)(?:\.(\d+))?Z\z/.match(text)
    [Time.utc(*m[1..6].map(&:to_i)).to_i, (m[7] || '').ljust(9, '0')[0, 9].to_i]
  end

  # fields: what the format's parser extracted (a `message` key: it did not match); path: the file;
  # format: what route decided. Returns the labels with `line`, and the request's time or nil.
  def normalize(fields, path, format)
    src = source_of(path)
    out = { 'platform' => src[:platform], 'cluster' => src[:cluster], 'mesh' => MESH_OF.fetch(format.to_s, src[:mesh] || 'unknown'),
            'namespace' => src[:namespace], 'log_type' => 'access', 'service_name' => src[:service_name] }.compact
    raw = fields['message']
    begin
      raise LineError, "unknown access-log format #{format}" unless MESH_OF.key?(format)

      required = REQUIRED[format]
      raise LineError, "line does not fit the #{format} layout" if !raw.nil? || (required && fields[required].nil?)

      r = build(format, fields)
      fill_writer(r, src[:namespace], src[:service_name])
      out['line'] = JSON.generate(FIELDS.to_h { |k| [k, r[k]] })
      [out, r['timestamp'] && time_of(r['timestamp'])]
    rescue LineError => e
      out['line'] = JSON.generate({ 'format' => format, 'error' => e.message, 'raw' => raw })
      [out, nil]
    end
  end
end
