# frozen_string_literal: true

# Fluentd filter plugins for Mesh Audit (load with `fluentd -p /fluentd/plugins`, with
# mesh_audit.rb mounted next to this file):
#   @type mesh_audit_redact     masks secrets and PII in `message` before any parser runs;
#   @type mesh_audit_normalize  parsed fields -> { line: <common-schema JSON>, five labels }.
require 'fluent/plugin/filter'
require ENV.fetch('MESH_AUDIT_RUBY', File.join(__dir__, 'mesh_audit.rb'))

module Fluent
  module Plugin
    class MeshAuditRedactFilter < Filter
      Fluent::Plugin.register_filter('mesh_audit_redact', self)

      def filter(_tag, _time, record)
        record['message'] = MeshAudit.redact(record['message']) if record['message'].is_a?(String)
        record
      end
    end

    class MeshAuditNormalizeFilter < Filter
      Fluent::Plugin.register_filter('mesh_audit_normalize', self)

      def filter(_tag, _time, record)
        fields = record.dup
        filename = fields.delete('filename')
        MeshAudit.normalize(fields, filename)
      end
    end
  end
end
