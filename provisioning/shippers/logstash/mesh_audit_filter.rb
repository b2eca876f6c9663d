# frozen_string_literal: true

# Logstash ruby filter script for Mesh Audit (ruby { path => ... script_params => { "stage" => ... } }).
# stage "redact": masks secrets and PII in [message] before any parser runs.
# stage "normalize": parsed fields -> [line] (common-schema JSON) and the five label fields;
# everything else is removed so that only labels and the line reach the loki output.
require ENV.fetch('MESH_AUDIT_RUBY', '/usr/share/logstash/mesh-audit/mesh_audit.rb')

def register(params)
  @stage = params.fetch('stage')
end

def filter(event)
  if @stage == 'redact'
    message = event.get('message')
    event.set('message', MeshAudit.redact(message)) if message.is_a?(String)
    return [event]
  end
  # JSON formats parse into [@metadata][fields]; grok puts its captures at the top level.
  fields = event.get('[@metadata][fields]') || event.to_hash.reject { |k, _| k.start_with?('@') || k == 'tags' }
  # grok leaves [message] in place: a matched line has its captures, so [message] only counts as
  # "did not fit" when the layout tag says so.
  fields = fields.reject { |k, _| k == 'message' } unless Array(event.get('tags')).include?('_mesh_layout_mismatch')
  out = MeshAudit.normalize(fields, event.get('[@metadata][filename]'))
  event.to_hash.keys.each { |k| event.remove(k) unless k.start_with?('@') }
  out.each { |k, v| event.set(k, v) }
  [event]
end
