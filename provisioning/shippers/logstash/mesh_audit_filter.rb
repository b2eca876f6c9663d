# frozen_string_literal: true

# Logstash ruby filter script for Mesh Audit (ruby { path => ... script_params => { "stage" => ... } }).
# stage "route": [message] as read -> unframed (CRI) and redacted, [@metadata][format] set from
#   the file's place and the line's shape; an event that is not an access log is dropped.
# stage "normalize": parsed fields -> [line] (common-schema JSON) and the six label fields, with
#   @timestamp the request's start time; everything else is removed so that only labels and the
#   line reach the loki output.
require ENV.fetch('MESH_AUDIT_RUBY', '/usr/share/logstash/mesh-audit/mesh_audit.rb')

def register(params)
  @stage = params.fetch('stage')
end

def filter(event)
  path = event.get('[@metadata][filename]')
  if @stage == 'route'
    routed = MeshAudit.route(event.get('message'), path)
    return [] if routed.nil?

    event.set('message', routed['message'])
    event.set('[@metadata][format]', routed['format'])
    return [event]
  end
  # JSON formats parse into [@metadata][fields]; grok puts its captures at the top level.
  fields = event.get('[@metadata][fields]') || event.to_hash.reject { |k, _| k.start_with?('@') || k == 'tags' }
  # grok leaves [message] in place: a matched line has its captures, so [message] only counts as
  # "did not fit" when the layout tag says so.
  fields = fields.reject { |k, _| k == 'message' } unless Array(event.get('tags')).include?('_mesh_layout_mismatch')
  out, at = MeshAudit.normalize(fields, path, event.get('[@metadata][format]'))
  event.to_hash.keys.each { |k| event.remove(k) unless k.start_with?('@') }
  out.each { |k, v| event.set(k, v) }
  event.set('@timestamp', LogStash::Timestamp.new(Time.at(at[0], at[1], :nsec).utc)) if at
  [event]
end
