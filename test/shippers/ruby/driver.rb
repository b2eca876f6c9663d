# frozen_string_literal: true

# Test driver for the Ruby shippers' code. Reads one JSON request per line and prints one JSON
# result per line:
#   {"fn":"redact","line":...}                              -> {"line":...}
#   {"fn":"config","grok":{format: regex|null}}           -> {} (logstash.conf's parsers, once)
#   {"fn":"fluentd","line":..,"filename":..}               -> {"ts":[sec,nsec],"record":...} or {"dropped":true}
#   {"fn":"logstash","line":..,"filename":..}              -> {"ts_ns":..,"record":...} or {"dropped":true}
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

# Logstash's Timestamp, reduced to what logstash-output-loki reads: to_f (its to_ns multiplies it).
module LogStash
  class Timestamp
    def initialize(time)
      @time = time
    end

    def to_f
      @time.to_f
    end
  end
end

root = ARGV[0]
ENV['MESH_AUDIT_RUBY'] = File.join(root, 'ruby', 'mesh_audit.rb')
require File.join(root, 'fluentd', 'plugins', 'filter_mesh_audit.rb')
LOGSTASH = Object.new
LOGSTASH.instance_eval(File.read(File.join(root, 'logstash', 'mesh_audit_filter.rb')), 'mesh_audit_filter.rb')

# logstash.conf's grok (a regex) or json filter (nil) per format, from a {"fn":"config"} request.
grok = {}

def parse_with(regex, line)
  if regex.nil? # the json filter: nothing when the line is no JSON object
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
    when 'config'
      grok = req['grok']
      {}
    when 'redact' then { 'line' => MeshAudit.redact(req['line']) }
    when 'fluentd'
      # in_tail with `@type none`: the line in `message`, the file in path_key `filename`.
      out = Fluent::Plugin::MeshAuditFilter.new.filter_with_time('mesh', Fluent::EventTime.new(0, 0), { 'message' => req['line'], 'filename' => req['filename'] })
      out.nil? ? { 'dropped' => true } : { 'ts' => [out[0].sec, out[0].nsec], 'record' => out[1] }
    when 'logstash'
      event = FakeEvent.new({ 'message' => req['line'], 'path' => req['filename'], 'host' => 'node-1', '@version' => '1', '@timestamp' => LogStash::Timestamp.new(Time.at(0)) })
      event.set('[@metadata][filename]', event.get('path'))
      LOGSTASH.register('stage' => 'route')
      if LOGSTASH.filter(event).empty?
        { 'dropped' => true }
      else
        format = event.get('[@metadata][format]')
        regex = grok.fetch(format) { raise "logstash.conf has no filter for #{format}" }
        parsed = parse_with(regex, event.get('message'))
        if parsed.nil?
          event.set('tags', ['_mesh_layout_mismatch'])
        elsif regex.nil?
          event.set('[@metadata][fields]', parsed)
        else
          parsed.each { |k, v| event.set(k, v) }
        end
        LOGSTASH.register('stage' => 'normalize')
        LOGSTASH.filter(event)
        # logstash-output-loki's entry timestamp: (to_f * 10**9).to_i of @timestamp.
        { 'ts_ns' => (event.get('@timestamp').to_f * (10**9)).to_i.to_s, 'record' => event.to_hash.reject { |k, _| k.start_with?('@') } }
      end
    end
  puts JSON.generate(result)
end
