# frozen_string_literal: true

# Test driver for the Ruby shippers' code. Reads one JSON request per line and prints one JSON
# result per line:
#   {"fn":"redact","line":...}                              -> {"line":...}
#   {"fn":"fluentd","regex":..|null,"line":..,"filename":..} -> the record the Fluentd filters emit
#   {"fn":"logstash","regex":..|null,"line":..,"filename":..} -> the event fields the Logstash filters leave
# Fluentd and Logstash are not installable here: their framework classes are replaced by the
# minimal stand-ins below (only what our plugin and script call). The regexes run in Ruby's own
# regex engine (Onigmo), the one Fluentd uses; Logstash's grok uses Joni, a port of Oniguruma.
require 'json'

$LOAD_PATH.unshift(File.join(__dir__, 'stubs')) # fluent/plugin/filter stand-in

# Logstash's Event, reduced to get/set/remove/to_hash with [a][b] field references.
class FakeEvent
  def initialize(fields)
    @data = fields
  end

  def path(ref)
    ref.start_with?('[') ? ref.scan(/\[([^\]]+)\]/).flatten : [ref]
  end

  def get(ref)
    path(ref).reduce(@data) { |acc, k| acc.is_a?(Hash) ? acc[k] : nil }
  end

  def set(ref, value)
    keys = path(ref)
    parent = keys[0..-2].reduce(@data) { |acc, k| acc[k] ||= {} }
    parent[keys[-1]] = value
  end

  def remove(ref)
    keys = path(ref)
    parent = keys[0..-2].reduce(@data) { |acc, k| acc.is_a?(Hash) ? acc[k] : nil }
    parent&.delete(keys[-1])
  end

  def to_hash
    @data
  end
end

root = ARGV[0]
ENV['MESH_AUDIT_RUBY'] = File.join(root, 'ruby', 'mesh_audit.rb')
require File.join(root, 'fluentd', 'plugins', 'filter_mesh_audit.rb')
LOGSTASH = Object.new
LOGSTASH.instance_eval(File.read(File.join(root, 'logstash', 'mesh_audit_filter.rb')), 'mesh_audit_filter.rb')

def parse(regex, line)
  if regex.nil? # the json parser: nothing when the line is no JSON object
    begin
      value = JSON.parse(line)
    rescue JSON::ParserError
      return nil
    end
    return value.is_a?(Hash) ? value : nil
  end
  m = Regexp.new(regex).match(line)
  m&.named_captures&.compact
end

$stdin.each_line do |raw|
  req = JSON.parse(raw)
  result =
    case req['fn']
    when 'redact' then { 'line' => MeshAudit.redact(req['line']) }
    when 'fluentd'
      record = { 'message' => req['line'], 'filename' => req['filename'] }
      record = Fluent::Plugin::MeshAuditRedactFilter.new.filter('t', 0, record)
      parsed = parse(req['regex'], record['message'])
      record = record.reject { |k, _| k == 'message' }.merge(parsed) if parsed.is_a?(Hash) # reserve_data + remove_key_name_field
      Fluent::Plugin::MeshAuditNormalizeFilter.new.filter('t', 0, record)
    when 'logstash'
      event = FakeEvent.new({ 'message' => req['line'], 'path' => req['filename'], 'host' => 'node-1', '@version' => '1' })
      event.set('[@metadata][filename]', event.get('path'))
      LOGSTASH.register('stage' => 'redact')
      LOGSTASH.filter(event)
      parsed = parse(req['regex'], event.get('message'))
      if parsed.nil?
        event.set('tags', ['_mesh_layout_mismatch'])
      elsif req['regex'].nil?
        event.set('[@metadata][fields]', parsed)
      else
        parsed.each { |k, v| event.set(k, v) }
      end
      LOGSTASH.register('stage' => 'normalize')
      LOGSTASH.filter(event)
      event.to_hash.reject { |k, _| k.start_with?('@') }
    end
  puts JSON.generate(result)
end
