# frozen_string_literal: true

# Fluentd filter plugin for Mesh Audit (load with `fluentd -p /fluentd/plugins`, with
# ../ruby/mesh_audit*.rb mounted next to this file or MESH_AUDIT_RUBY pointing at mesh_audit.rb):
#   @type mesh_audit   the raw line in `message` and the file in `filename` -> redacted, parsed
#   by its format, { line: <common-schema JSON>, the six labels }, at the request's own time.
# Lines that are not access logs (a proxy's own output, other containers) are dropped.
require 'fluent/plugin/filter'
require ENV.fetch('MESH_AUDIT_RUBY', File.join(__dir__, 'mesh_audit.rb'))

module Fluent
  module Plugin
    class MeshAuditFilter < Filter
      Fluent::Plugin.register_filter('mesh_audit', self)

      # filter_with_time, not filter: the event time becomes the request's start time, which
      # fluent-plugin-grafana-loki sends as the entry's timestamp (EventTime keeps nanoseconds).
      def filter_with_time(_tag, time, record)
        path = record['filename']
        routed = MeshAudit.route(record['message'], path)
        return nil if routed.nil?

        fields = MeshAudit.parse(routed['format'], routed['message']) || { 'message' => routed['message'] }
        out, at = MeshAudit.normalize(fields, path, routed['format'])
        [at ? Fluent::EventTime.new(*at) : time, out]
      end
    end
  end
end
