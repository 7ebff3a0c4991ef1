# frozen_string_literal: true

# Loads Redmine's own test helper. The plugin lives in plugins/redmine_api_guard
# of Redmine's root, often as a symlink: __FILE__ keeps the path it was loaded
# by (Redmine's rake tasks use plugins/...), while a test file run by its real
# path (ruby -Itest /path/to/repo/...) only finds Redmine through the working
# directory, which is Redmine's root in both cases.
redmine_root = [File.expand_path('../../..', File.dirname(__FILE__)), Dir.pwd].find do |dir|
  File.file?(File.join(dir, 'test', 'test_helper.rb')) && File.file?(File.join(dir, 'config', 'environment.rb'))
end
raise 'Redmine root not found: run the tests from Redmine\'s root directory' unless redmine_root

require File.join(redmine_root, 'test', 'test_helper')

RedmineApiGuard::SidecarClient.load_stubs
require File.expand_path('support/fake_sidecar_client', File.dirname(__FILE__))

module RedmineApiGuard
  # Shared by the plugin's tests that must not reach the network: installs a
  # FakeSidecarClient as RedmineApiGuard::SidecarClient.current.
  module FakeSidecar
    PB = RedmineApiGuardProto::V1

    # Runs before the test's own setup and after its own teardown.
    def self.included(base)
      base.setup { RedmineApiGuard::SidecarClient.override = @sidecar = RedmineApiGuard::FakeSidecarClient.new }
      base.teardown { RedmineApiGuard::SidecarClient.override = nil }
    end

    attr_reader :sidecar

    def pb_timestamp(time)
      Google::Protobuf::Timestamp.new(seconds: time.to_i)
    end

    # A Token message as the sidecar returns it.
    def pb_token(id:, user_id: 2, name: "token #{id}", status: :TOKEN_STATUS_ACTIVE,
                 expires_at: Time.utc(2031, 1, 31, 23, 59, 59), **attributes)
      PB::Token.new(
        id: id, user_id: user_id, name: name, display_prefix: "rmp_#{id.to_s.rjust(4, '0')}",
        created_at: pb_timestamp(Time.utc(2024, 1, 2, 3, 4, 5)), expires_at: pb_timestamp(expires_at),
        status: status, **attributes
      )
    end
  end
end
