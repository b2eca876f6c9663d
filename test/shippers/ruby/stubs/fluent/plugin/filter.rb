# frozen_string_literal: true

# Stand-in for Fluentd's filter base class (Fluentd is not installable here): only what
# provisioning/shippers/fluentd/plugins/filter_mesh_audit.rb calls.
module Fluent
  module Plugin
    class Filter; end

    def self.register_filter(_name, _klass); end
  end
end
