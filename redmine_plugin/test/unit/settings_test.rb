# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class RedmineApiGuard::SettingsTest < ActiveSupport::TestCase
  include RedmineApiGuard::FakeSidecar

  def setup
    @saved_env = ENV['REDMINE_API_GUARD_SIDECAR']
  end

  def teardown
    ENV['REDMINE_API_GUARD_SIDECAR'] = @saved_env
  end

  def test_values_should_default_to_the_plugin_defaults
    with_plugin_settings({}) do
      values = RedmineApiGuard::Settings.values

      assert_equal RedmineApiGuard::Settings::DEFAULTS, values
      assert_equal 1.0, RedmineApiGuard::Settings.sidecar_timeout
    end
  end

  def test_values_should_merge_stored_values_over_the_defaults
    with_plugin_settings('max_lifetime_days' => '30') do
      values = RedmineApiGuard::Settings.values

      assert_equal '30', values['max_lifetime_days']
      assert_equal '90', values['default_lifetime_days']
      assert_equal 'allowed', values['legacy_key_policy']
    end
  end

  def test_values_should_accept_stored_symbol_keys
    with_plugin_settings(max_lifetime_days: '60') do
      assert_equal '60', RedmineApiGuard::Settings.values['max_lifetime_days']
    end
  end

  def test_sidecar_timeout_should_be_in_seconds_with_a_fallback
    with_plugin_settings('sidecar_timeout_ms' => '250') do
      assert_in_delta 0.25, RedmineApiGuard::Settings.sidecar_timeout
    end
    with_plugin_settings('sidecar_timeout_ms' => '0') do
      assert_in_delta 1.0, RedmineApiGuard::Settings.sidecar_timeout
    end
    with_plugin_settings('sidecar_timeout_ms' => 'soon') do
      assert_in_delta 1.0, RedmineApiGuard::Settings.sidecar_timeout
    end
  end

  def test_sidecar_endpoint_should_read_address_and_timeout_together
    with_plugin_settings('sidecar_address' => 'unix:/tmp/x.sock', 'sidecar_timeout_ms' => '250') do
      assert_equal ['unix:/tmp/x.sock', 0.25], RedmineApiGuard::Settings.sidecar_endpoint
    end
  end

  def test_sidecar_address_should_prefer_the_setting
    ENV['REDMINE_API_GUARD_SIDECAR'] = 'unix:/tmp/from-env.sock'
    with_plugin_settings('sidecar_address' => '127.0.0.1:50051') do
      assert_equal '127.0.0.1:50051', RedmineApiGuard::Settings.sidecar_address
    end
  end

  def test_sidecar_address_should_fall_back_to_the_environment
    ENV['REDMINE_API_GUARD_SIDECAR'] = 'unix:/tmp/from-env.sock'
    with_plugin_settings('sidecar_address' => '') do
      assert_equal 'unix:/tmp/from-env.sock', RedmineApiGuard::Settings.sidecar_address
    end
  end

  def test_sidecar_address_should_fall_back_to_the_packaged_default
    ENV['REDMINE_API_GUARD_SIDECAR'] = ''
    with_plugin_settings('sidecar_address' => '') do
      assert_equal 'unix:/run/redmine-api-guard/sidecar.sock', RedmineApiGuard::Settings.sidecar_address
    end
    ENV.delete('REDMINE_API_GUARD_SIDECAR')
    with_plugin_settings({}) do
      assert_equal RedmineApiGuard::Settings::DEFAULT_ADDRESS, RedmineApiGuard::Settings.sidecar_address
    end
  end

  def test_plugin_registration_should_use_the_defaults
    plugin = Redmine::Plugin.find(:redmine_api_guard)

    assert_equal RedmineApiGuard::Settings::DEFAULTS, plugin.settings[:default]
  end

  def test_problems_should_say_what_applies_instead
    with_plugin_settings('max_lifetime_days' => '0', 'default_lifetime_days' => 'abc', 'sidecar_timeout_ms' => '5') do
      problems = RedmineApiGuard::Settings.problems

      assert_includes problems, 'max_lifetime_days="0" (1 to 3650 days: 365 applies)'
      assert_includes problems, 'default_lifetime_days="abc" (1 to 3650 days: 90 applies)'
      assert_includes problems, 'sidecar_timeout_ms="5" (50 to 30000 ms: 50 applies)'
      assert_in_delta 0.05, RedmineApiGuard::Settings.sidecar_timeout
    end
    with_plugin_settings({}) do
      assert_empty RedmineApiGuard::Settings.problems
    end
  end

  def test_sidecar_problem_should_tell_whether_the_sidecar_answers
    assert_nil RedmineApiGuard::Settings.sidecar_problem

    sidecar.fail_with(:policy, RedmineApiGuard::SidecarError::Unavailable.new('connect failed'))
    assert_match 'connect failed', RedmineApiGuard::Settings.sidecar_problem
  end

  private

  def with_plugin_settings(values, &block)
    with_settings(plugin_redmine_api_guard: values, &block)
  end
end
