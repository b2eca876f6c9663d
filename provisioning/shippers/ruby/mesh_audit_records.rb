# frozen_string_literal: true

# Common-schema records for the Ruby shippers (mesh_audit.rb loads this file): the fields a
# regexp/JSON parser extracted -> one record, for the Envoy family, Linkerd, Kuma and Cilium
# Hubble, with the rules of the suite's parsers (src/core/profiles).
module MeshAudit
  module_function

  def text(value, field)
    case value
    when nil then nil
    when Integer then value.to_s
    when Float then number_text(value)
    when String then value.empty? || value == '-' ? nil : value
    else raise LineError, "field #{field}: expected a string"
    end
  end

  def number(value, field)
    case value
    when nil then nil
    when Integer, Float
      raise LineError, "field #{field}: expected a non-negative finite number, got #{value}" if value.negative? || (value.is_a?(Float) && !value.finite?)

      value
    when String
      return nil if value.empty? || value == '-'
      raise LineError, "field #{field}: expected a number, got #{value}" unless value.length <= 20 && value.match?(/\A(\d+\.?\d*|\.\d+)\z/)

      value.include?('.') ? Float(value) : Integer(value, 10)
    else raise LineError, "field #{field}: expected a number"
    end
  end

  def number_text(value)
    return value.to_i.to_s if value.is_a?(Float) && value == value.floor && value.abs < 1e15

    value.to_s
  end

  def timestamp(value, field)
    t = text(value, field)
    return nil if t.nil?

    m = t.match(/\A(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?[Zz]\z/)
    raise LineError, "field #{field}: not an RFC 3339 UTC timestamp: #{t}" unless m

    "#{m[1]}T#{m[2]}#{m[3]}Z"
  end

  def parse_port(text)
    return nil unless text&.match?(/\A\d{1,5}\z/)

    n = text.to_i
    n <= 65_535 ? n : nil
  end

  def port_of(address)
    return nil if address.nil?

    m = address.match(/\A(.*):([^:]*)\z/)
    return nil if m.nil? || (m[1].include?(':') && !m[1].end_with?(']'))

    parse_port(m[2])
  end

  def service_from_host(host)
    m = host.match(/\A([^.]+)\.([^.]+)\.svc(?:\..*)?\z/)
    m ? [m[1], m[2]] : [host, nil]
  end

  def consul_name(name)
    return nil if name.nil? || !name.end_with?('.consul')

    parts = name.split('.', -1)
    return nil if parts[0].empty?

    marker = (2...parts.length).find { |i| %w[internal internal-v1 external].include?(parts[i]) }
    marker ? [parts[0], parts[1].empty? ? nil : parts[1]] : nil
  end

  def split_flags(flags)
    return [] if flags.nil?
    return [flags] unless flags.include?(',')

    flags.split(',').reject { |f| f.empty? || f == '-' }
  end

  def spiffe_field(uri, key)
    return nil if uri.nil? || !uri.start_with?('spiffe://')

    path = uri[%r{\Aspiffe://[^/]+/(.*)\z}, 1]
    return nil if path.nil?

    found = nil
    path.split('/', -1).each_slice(2) { |k, v| found = (v.nil? || v.empty? ? nil : v) if k == key && !v.nil? }
    found
  end

  def success?(status)
    !status.nil? && status >= 200 && status < 400
  end

  def blank_record(format, mesh)
    { 'mesh' => mesh, 'format' => format, 'direction' => 'unknown', 'response_flags' => [],
      'mtls' => 'unknown', 'mtls_basis' => 'none', 'authz' => 'unknown' }
  end

  def cluster_facts(cluster)
    if cluster&.start_with?('outbound|', 'inbound|')
      slots = cluster.split('|', -1)
      service, namespace = slots[3] && !slots[3].empty? ? service_from_host(slots[3]) : [nil, nil]
      return { dir: slots[0] == 'outbound' ? 'outbound' : 'inbound', port: parse_port(slots[1]), service: service, namespace: namespace }
    end
    case cluster
    when 'PassthroughCluster', 'BlackHoleCluster', 'original-destination' then { dir: 'outbound' }
    when 'InboundPassthroughCluster', 'InboundPassthroughClusterIpv4', 'InboundPassthroughClusterIpv6', 'local_app' then { dir: 'inbound' }
    else
      service, namespace = consul_name(cluster)
      service ? { dir: 'outbound', service: service, namespace: namespace } : {}
    end
  end

  def istio_sni(sni)
    return nil unless sni&.start_with?('outbound_.')

    slots = sni.delete_prefix('outbound_.').split('_.', -1)
    return nil if slots.length < 3 || slots[2].empty?

    service, namespace = service_from_host(slots[2..].join('_.'))
    { port: parse_port(slots[0]), service: service, namespace: namespace }
  end

  def envoy_record(f, format)
    r = blank_record(format, MESH_OF[format])
    r['timestamp'] = timestamp(f['start_time'], 'start_time')
    c = cluster_facts(text(f['upstream_cluster'], 'upstream_cluster'))
    r['direction'] = c[:dir] || 'unknown'
    method = text(f['method'], 'method')
    path = text(f['path'], 'path')
    protocol = text(f['protocol'], 'protocol')
    tcp = method.nil? && path.nil? && protocol.nil?
    r['method'] = method
    r['path'] = path
    r['protocol'] = tcp ? 'TCP' : protocol
    code = number(f['response_code'], 'response_code')
    r['status'] = tcp ? nil : code
    r['response_flags'] = split_flags(text(f['response_flags'], 'response_flags'))
    r['duration_ms'] = number(f['duration'], 'duration')
    r['bytes_in'] = number(f['bytes_received'], 'bytes_received')
    r['bytes_out'] = number(f['bytes_sent'], 'bytes_sent')
    r['request_id'] = text(f['request_id'], 'request_id')
    r['trace_id'] = text(f['trace_id'], 'trace_id')
    r['src_address'] = text(f['downstream_remote_address'], 'downstream_remote_address')
    sni = text(f['requested_server_name'], 'requested_server_name')
    upstream_host = text(f['upstream_host'], 'upstream_host')
    if r['direction'] == 'inbound'
      r['dst_address'] = text(f['downstream_local_address'], 'downstream_local_address')
      named = if c[:service]
                c
              else
                istio_sni(sni) || (sni && (n = consul_name(sni)) ? { service: n[0], namespace: n[1] } : nil)
              end
      r['dst_service'] = named&.dig(:service)
      r['dst_namespace'] = named&.dig(:namespace)
      r['dst_port'] = c[:port] || istio_sni(sni)&.dig(:port) || port_of(r['dst_address'])
    else
      r['dst_address'] = upstream_host
      r['dst_service'] = c[:service]
      r['dst_namespace'] = c[:namespace]
      r['dst_port'] = c[:port] || port_of(upstream_host)
    end
    down_san = text(f['downstream_peer_uri_san'], 'downstream_peer_uri_san')
    up_san = text(f['upstream_peer_uri_san'], 'upstream_peer_uri_san')
    r['src_identity'] = down_san
    r['dst_identity'] = up_san
    r['src_namespace'] = spiffe_field(down_san, 'ns')
    # The caller's SPIFFE id names it: Consul's service, else an account (one per workload, as the
    # meshes advise; the shared `default` names nobody).
    caller_sa = spiffe_field(down_san, 'sa')
    r['src_workload'] = spiffe_field(down_san, 'svc') || (caller_sa == 'default' ? nil : caller_sa)
    r['dst_namespace'] ||= spiffe_field(up_san, 'ns')
    r['dst_service'] ||= spiffe_field(up_san, 'svc')
    decide_mtls(r, sni, f.key?('downstream_peer_uri_san'), down_san, up_san)
    decide_authz(r, f, upstream_host)
    r
  end

  def decide_mtls(r, sni, san_logged, down_san, up_san)
    if r['direction'] == 'inbound'
      if san_logged
        r['mtls'] = down_san ? 'mtls' : 'plaintext'
        r['mtls_basis'] = 'peer-identity'
      elsif sni && (sni.start_with?('outbound_.') || sni.end_with?('.consul'))
        r['mtls'] = 'mtls'
        r['mtls_basis'] = 'sni'
      elsif sni.nil?
        r['mtls'] = 'plaintext'
        r['mtls_basis'] = 'sni'
      end
    elsif up_san || (r['direction'] == 'unknown' && down_san)
      r['mtls'] = 'mtls'
      r['mtls_basis'] = 'peer-identity'
    end
  end

  RBAC = 'rbac_access_denied_matched_policy['

  def rbac_policy(details)
    return nil unless details&.start_with?(RBAC)

    inner = details.delete_prefix(RBAC).delete_suffix(']')
    inner.empty? ? 'none' : inner
  end

  def decide_authz(r, f, upstream_host)
    details = text(f['response_code_details'], 'response_code_details')
    policy = rbac_policy(details) || rbac_policy(text(f['connection_termination_details'], 'connection_termination_details'))
    if policy
      r['authz'] = 'deny'
      r['authz_policy'] = policy
    elsif r['response_flags'].include?('UAEX') || details == 'ext_authz_denied'
      r['authz'] = 'deny'
    elsif success?(r['status']) && (details == 'via_upstream' || (details.nil? && !upstream_host.nil?))
      r['authz'] = 'allow'
    end
  end

  def path_of_uri(uri)
    scheme = uri.index('://')
    return [uri, nil] if scheme.nil? || scheme > 10

    rest = uri[(scheme + 3)..]
    slash = rest.index('/')
    authority = slash ? rest[0...slash] : rest
    [slash ? rest[slash..] : '/', authority.empty? ? nil : authority]
  end

  def host_of(authority)
    if authority.start_with?('[')
      close = authority.index(']')
      return close ? authority[1...close] : authority
    end
    authority.count(':') == 1 ? authority.split(':', 2)[0] : authority
  end

  def ip_literal?(host)
    host.include?(':') || (host.count('.') == 3 && host.match?(/\A[\d.]*\z/))
  end

  def linkerd_record(f, format)
    r = blank_record(format, 'linkerd')
    r['direction'] = 'inbound'
    r['timestamp'] = timestamp(f['timestamp'], 'timestamp')
    # JSON keys `client.addr`, `version`, `status`; the Apache regex names them client_addr, protocol, response_code.
    r['src_address'] = text(f['client.addr'] || f['client_addr'], 'client.addr')
    r['method'] = text(f['method'], 'method')
    r['protocol'] = text(f['version'] || f['protocol'], 'version')
    r['status'] = number(f.key?('status') ? f['status'] : f['response_code'], 'status')
    uri = text(f['uri'], 'uri')
    r['path'], authority = path_of_uri(uri) if uri
    if format == 'linkerd-json'
      authority = text(f['host'], 'host') || authority
      ns = number(f['total_ns'], 'total_ns')
      r['duration_ms'] = ns.nil? ? nil : ns / 1e6
      r['bytes_in'] = number(f['request_bytes'], 'request_bytes')
      r['bytes_out'] = number(f['response_bytes'], 'response_bytes')
      r['trace_id'] = text(f['trace_id'], 'trace_id')
    end
    if authority
      r['dst_port'] = port_of(authority)
      host = host_of(authority)
      if host.empty?
        # An authority like ":7000" names nothing.
      elsif ip_literal?(host)
        r['dst_address'] = authority
      elsif !host.include?('.') || host.include?('.svc')
        r['dst_service'], r['dst_namespace'] = service_from_host(host)
      end
    end
    id = text(f['client.id'] || f['client_id'], 'client.id')
    if id
      r['src_identity'] = id
      head = id[/\A(.*?)\.serviceaccount\.identity\.linkerd\./, 1]
      account, r['src_namespace'] = head&.match(/\A(.+)\.([^.]+)\z/)&.captures
      # One service account per workload (Linkerd's guidance) names the caller; `default` names nobody.
      r['src_workload'] = account unless account == 'default'
      r['mtls'] = 'mtls'
    else
      r['mtls'] = 'plaintext'
    end
    r['mtls_basis'] = 'peer-identity'
    r['authz'] = 'allow' if success?(r['status'])
    r
  end

  def kuma_service(tag)
    return nil if tag.nil? || tag == 'unknown'

    svc = tag.rindex('_svc')
    if svc&.positive? && (svc + 4 == tag.length || tag[svc + 4] == '_')
      head = tag[0...svc]
      sep = head.rindex('_')
      port_text = tag[(svc + 5)..] || ''
      port = port_text.empty? ? nil : Integer(port_text, 10, exception: false)
      if sep&.positive? && sep < head.length - 1 && (port_text.empty? || (port && port.positive? && port <= 65_535))
        return [head[0...sep], head[(sep + 1)..], port]
      end
    end
    [tag, nil, nil]
  end

  def kuma_record(f, format)
    r = blank_record(format, 'kuma')
    r['timestamp'] = timestamp(f['start_time'], 'start_time')
    r['response_flags'] = split_flags(text(f['response_flags'], 'response_flags'))
    r['src_address'] = text(f['source_address'], 'source_address')
    upstream = text(f['upstream_host'], 'upstream_host')
    r['dst_address'] = upstream
    source = text(f['source_service'], 'source_service')
    r['direction'] = source.nil? ? 'unknown' : (source == 'unknown' ? 'inbound' : 'outbound')
    r['src_workload'], r['src_namespace'] = kuma_service(source)
    r['dst_service'], r['dst_namespace'], port = kuma_service(text(f['destination_service'], 'destination_service'))
    r['dst_port'] = port || port_of(upstream)
    r['duration_ms'] = number(f['duration'], 'duration')
    r['bytes_in'] = number(f['bytes_received'], 'bytes_received')
    r['bytes_out'] = number(f['bytes_sent'], 'bytes_sent')
    if format == 'kuma-tcp'
      r['protocol'] = 'TCP'
    else
      r['method'] = text(f['method'], 'method')
      r['path'] = text(f['path'], 'path')
      r['protocol'] = text(f['protocol'], 'protocol')
      r['status'] = number(f['response_code'], 'response_code')
      r['trace_id'] = text(f['trace_id'], 'trace_id')
      r['request_id'] = text(f['request_id'], 'request_id')
      if r['response_flags'].include?('UAEX')
        r['authz'] = 'deny'
      elsif upstream && success?(r['status'])
        r['authz'] = 'allow'
      end
    end
    r
  end
end
