# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class RedmineApiGuard::PatchesTest < ActiveSupport::TestCase
  include RedmineApiGuard::FakeSidecar

  fixtures :users, :email_addresses, :tokens

  def test_install_patches_should_prepend_each_patch_once
    RedmineApiGuard.install_patches

    RedmineApiGuard::PATCHES.each do |target, patch|
      assert_equal 1, target.constantize.ancestors.count(patch.constantize), target
    end
  end

  def test_install_patches_should_filter_the_key_parameter_once
    RedmineApiGuard.install_patches

    assert_equal 1, Rails.application.config.filter_parameters.count(:key)
    filter = ActiveSupport::ParameterFilter.new(Rails.application.config.filter_parameters)
    assert_equal '[FILTERED]', filter.filter('key' => 'secret')['key']
  end

  def test_locking_a_user_should_invalidate_the_user_in_the_sidecar
    user = User.find(2)
    user.lock!

    assert_equal [{user_id: 2}], sidecar.calls_to(:invalidate_user)
  end

  def test_making_a_user_admin_should_invalidate_the_user_in_the_sidecar
    user = User.find(2)
    user.update!(admin: true)

    assert_equal [{user_id: 2}], sidecar.calls_to(:invalidate_user)
  end

  def test_deleting_a_user_should_invalidate_the_user_in_the_sidecar
    user = User.generate!
    sidecar.calls.clear
    user.destroy

    assert_includes sidecar.calls_to(:invalidate_user), {user_id: user.id}
  end

  def test_deleting_a_user_should_revoke_the_users_active_tokens
    user = User.generate!
    sidecar.user_tokens = [RedmineApiGuardProto::V1::Token.new(id: 31, user_id: user.id, status: :TOKEN_STATUS_ACTIVE)]
    user.destroy

    assert_equal [{user_id: user.id, include_revoked: false}], sidecar.calls_to(:list_user_tokens)
    assert_equal [31], sidecar.calls_to(:revoke_token).map { |call| call[:id] }
  end

  def test_deleting_a_user_should_succeed_when_the_sidecar_is_down
    user = User.generate!
    sidecar.fail_with(:list_user_tokens, RedmineApiGuard::SidecarError::Unavailable.new('connect failed'))

    assert user.destroy
    assert_nil User.find_by(id: user.id)
  end

  def test_other_user_changes_should_not_call_the_sidecar
    user = User.find(2)
    user.update!(firstname: 'Johnny')

    assert_empty sidecar.calls_to(:invalidate_user)
  end

  def test_destroying_the_api_key_should_invalidate_the_user_in_the_sidecar
    token = Token.create!(user: User.find(2), action: 'api')
    sidecar.calls.clear
    token.destroy

    assert_equal [{user_id: 2}], sidecar.calls_to(:invalidate_user)
  end

  def test_changing_the_api_key_should_invalidate_the_user_in_the_sidecar
    token = Token.create!(user: User.find(2), action: 'api')
    sidecar.calls.clear
    token.update!(value: Token.generate_token_value)

    assert_equal [{user_id: 2}], sidecar.calls_to(:invalidate_user)
  end

  def test_destroying_another_token_should_not_call_the_sidecar
    Token.find(2).destroy

    assert_empty sidecar.calls_to(:invalidate_user)
  end

  def test_saving_the_plugin_settings_should_reload_the_policy
    with_settings(plugin_redmine_api_guard: {'max_lifetime_days' => '30'}) do
      assert_not_empty sidecar.calls_to(:reload_policy)
    end
  end

  def test_saving_another_setting_should_not_reload_the_policy
    with_settings(app_title: 'Another title') do
      assert_empty sidecar.calls_to(:reload_policy)
    end
  end

  def test_cache_invalidation_should_not_raise_when_the_sidecar_is_unavailable
    sidecar.fail_with(:invalidate_user, RedmineApiGuard::SidecarError::Unavailable.new('down'))
    sidecar.fail_with(:reload_policy, RedmineApiGuard::SidecarError::Unavailable.new('down'))

    assert_nothing_raised do
      User.find(2).lock!
      RedmineApiGuard::CacheInvalidation.policy_changed
    end
    assert User.find(2).locked?
  end
end
