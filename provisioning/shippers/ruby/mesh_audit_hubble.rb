# frozen_string_literal: true

# Cilium Hubble flow records for the Ruby shippers (mesh_audit.rb loads this file), in the three
# envelopes: {"flow":{...}}, the exporter's {"flow":{...},"node_name":..,"time":..} and the
# legacy bare flow. Rules of src/core/profiles/hubble-json.ts.
module MeshAudit
  module_function

  VERDICTS = %w[VERDICT_UNKNOWN FORWARDED DROPPED ERROR AUDIT REDIRECTED TRACED TRANSLATED].freeze
  POLICY_DROP_CODES = [133, 181, 189].freeze
  POLICY_DROP_NAMES = %w[POLICY_DENIED POLICY_DENY AUTH_REQUIRED].freeze
  POD_HASH = /\A(.+)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\z/

  def object(value, field)
    return nil if value.nil?
    raise LineError, "field #{field}: expected an object" unless value.is_a?(Hash)

    value
  end

  def non_negative(value, field)
    n = number(value, field)
    raise LineError, "field #{field}: expected a non-negative finite number, got #{n}" if n&.negative?

    n
  end

  def hubble_endpoint(value, field)
    e = object(value, field)
    return { workload: nil, namespace: nil, identity: nil } if e.nil?

    workload = nil
    if e['workloads'].is_a?(Array) && !e['workloads'].empty?
      workload = text(object(e['workloads'][0], "#{field}.workloads")&.dig('name'), "#{field}.workloads.name")
    end
    pod = text(e['pod_name'], "#{field}.pod_name")
    workload ||= pod && (pod[POD_HASH, 1] || pod)
    identity = non_negative(e['identity'], "#{field}.identity")
    { workload: workload, namespace: text(e['namespace'], "#{field}.namespace"), identity: identity && number_text(identity) }
  end

  def hubble_address(ip, port)
    return nil if ip.nil?
    return ip if port.nil?

    ip.include?(':') ? "[#{ip}]:#{port}" : "#{ip}:#{port}"
  end

  def hubble_l4(flow)
    l4 = object(flow['l4'], 'l4')
    return [nil, nil, nil] if l4.nil?

    %w[TCP UDP SCTP].each do |protocol|
      p = object(l4[protocol], "l4.#{protocol}")
      next if p.nil?

      return [protocol, non_negative(p['source_port'], "l4.#{protocol}.source_port"), non_negative(p['destination_port'], "l4.#{protocol}.destination_port")]
    end
    %w[ICMPv4 ICMPv6].each { |protocol| return [protocol, nil, nil] if l4.key?(protocol) }
    [nil, nil, nil]
  end

  def hubble_policy_drop?(flow)
    return true if flow['drop_reason_desc'].is_a?(String) && POLICY_DROP_NAMES.include?(flow['drop_reason_desc'])
    return true if flow['drop_reason'].is_a?(Numeric) && POLICY_DROP_CODES.include?(flow['drop_reason'])

    event = object(flow['event_type'], 'event_type')
    !event.nil? && event['type'] == 1 && event['sub_type'].is_a?(Numeric) && POLICY_DROP_CODES.include?(event['sub_type'])
  end

  def hubble_denying_policy(flow)
    %w[ingress_denied_by egress_denied_by].each do |key|
      list = flow[key]
      next unless list.is_a?(Array) && !list.empty?

      policy = object(list[0], key)
      name = policy && text(policy['name'], "#{key}.name")
      next if name.nil?

      ns = text(policy['namespace'], "#{key}.namespace")
      return ns ? "#{ns}/#{name}" : name
    end
    nil
  end

  def hubble_record(o)
    inner = object(o['flow'], 'flow')
    if inner
      flow = inner
      envelope = o
    elsif o.key?('verdict') || o.key?('IP') || o.key?('l4') || o.key?('event_type')
      flow = o
      envelope = nil
    else
      raise LineError, 'not a Hubble flow: no "flow" envelope and no verdict/IP/l4 keys'
    end
    r = blank_record('hubble-json', 'cilium')
    r['timestamp'] = timestamp(flow['time'] || envelope&.dig('time'), 'time')
    direction = text(flow['traffic_direction'], 'traffic_direction')
    r['direction'] = { 'INGRESS' => 'inbound', 'EGRESS' => 'outbound' }.fetch(direction, 'unknown')
    ip = object(flow['IP'], 'IP')
    protocol, src_port, dst_port = hubble_l4(flow)
    src = hubble_endpoint(flow['source'], 'source').merge(ip: text(ip&.dig('source'), 'IP.source'), port: src_port)
    dst = hubble_endpoint(flow['destination'], 'destination').merge(ip: text(ip&.dig('destination'), 'IP.destination'), port: dst_port)
    src_service = object(flow['source_service'], 'source_service')
    dst_service = object(flow['destination_service'], 'destination_service')
    if flow['is_reply'] == true || flow['reply'] == true
      src, dst = dst, src
      src_service, dst_service = dst_service, src_service
    end
    r['src_workload'] = src[:workload]
    r['src_namespace'] = src[:namespace] || text(src_service&.dig('namespace'), 'source_service.namespace')
    r['src_identity'] = src[:identity]
    r['src_address'] = hubble_address(src[:ip], src[:port])
    r['dst_workload'] = dst[:workload]
    r['dst_service'] = text(dst_service&.dig('name'), 'destination_service.name')
    r['dst_namespace'] = dst[:namespace] || text(dst_service&.dig('namespace'), 'destination_service.namespace')
    r['dst_identity'] = dst[:identity]
    r['dst_address'] = hubble_address(dst[:ip], dst[:port])
    r['dst_port'] = dst[:port]
    r['protocol'] = protocol
    l7 = object(flow['l7'], 'l7')
    http = l7 && object(l7['http'], 'l7.http')
    if l7
      latency = non_negative(l7['latency_ns'], 'l7.latency_ns')
      r['duration_ms'] = latency && latency / 1e6
    end
    if http
      r['method'] = text(http['method'], 'l7.http.method')
      url = text(http['url'], 'l7.http.url')
      r['path'] = url && path_of_uri(url)[0]
      r['protocol'] = text(http['protocol'], 'l7.http.protocol') || r['protocol']
      code = non_negative(http['code'], 'l7.http.code')
      r['status'] = code&.zero? ? nil : code
    end
    verdict = flow['verdict'].is_a?(Numeric) ? VERDICTS[flow['verdict']] : text(flow['verdict'], 'verdict')
    if verdict == 'DROPPED' && hubble_policy_drop?(flow)
      r['authz'] = 'deny'
      r['authz_policy'] = hubble_denying_policy(flow)
    elsif verdict == 'FORWARDED'
      r['authz'] = 'allow'
    end
    r
  end
end
