# frozen_string_literal: true

# Stand-in for Fluentd's filter base class and EventTime (Fluentd is not installable here): only
# what provisioning/shippers/fluentd/plugins/filter_mesh_audit.rb calls.
module Fluent
  class EventTime
    attr_reader :sec, :nsec

    def initialize(sec, nsec = 0)
      @sec = sec
      @nsec = nsec
    end

    def to_i
      @sec
    end
  end

  module Plugin
    class Filter; end

    def self.register_filter(_name, _klass); end
  end
end
