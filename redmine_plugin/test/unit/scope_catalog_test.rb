# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class RedmineApiGuard::ScopeCatalogTest < ActiveSupport::TestCase
  Catalog = RedmineApiGuard::ScopeCatalog

  def test_all_should_hold_redmine_permissions_account_scopes_and_admin
    all = Catalog.all

    assert_includes all, 'view_issues'
    assert_includes all, 'log_time'
    assert_includes all, 'view_own_account'
    assert_includes all, 'edit_own_account'
    assert_includes all, 'admin'
  end

  def test_required_for_should_list_the_permissions_of_an_action
    assert_includes Catalog.required_for('issues', 'index', 'GET', {}), 'view_issues'
    assert_includes Catalog.required_for('issues', 'create', 'POST', {}), 'add_issues'
    assert_empty Catalog.required_for('welcome', 'index', 'GET', {})
  end

  def test_required_for_should_cover_login_only_account_endpoints
    assert_equal ['view_own_account'], Catalog.required_for('my', 'account', 'GET', {})
    assert_equal ['edit_own_account'], Catalog.required_for('my', 'account', 'PUT', {})
    assert_includes Catalog.required_for('users', 'show', 'GET', {id: 'current'}), 'view_own_account'
    assert_not_includes Catalog.required_for('users', 'show', 'GET', {id: '2'}), 'view_own_account'
  end

  def test_own_account_scopes_should_treat_the_own_user_id_as_current
    user = User.find(2)

    assert_equal ['view_own_account'], Catalog.own_account_scopes('users', 'show', 'GET', {id: '2'}, user)
    assert_empty Catalog.own_account_scopes('users', 'show', 'GET', {id: '3'}, user)
    assert_empty Catalog.own_account_scopes('users', 'show', 'GET', {id: 'current'}, user)
    assert_empty Catalog.own_account_scopes('issues', 'show', 'GET', {id: '2'}, user)
  end

  def test_read_only_preset_should_hold_only_read_permissions
    read_only = Catalog.preset('read_only')

    assert_includes read_only, 'view_issues'
    assert_not_includes read_only, 'add_issues'
    assert_not_includes read_only, 'edit_own_account'
    assert_nil Catalog.preset('all')
  end

  def test_grantable_should_follow_the_administrators_choice
    with_settings(plugin_redmine_api_guard: {'grantable_scopes' => ['', 'view_issues', 'no_such_scope']}) do
      assert_equal ['view_issues'], Catalog.grantable
    end
    assert_equal Catalog.all, Catalog.grantable
  end

  def test_reverse_map_should_list_the_endpoints_of_each_scope
    map = Catalog.endpoints_by_scope

    assert_includes map['view_issues'], 'issues/index'
    assert_includes map['edit_own_account'], 'PUT my/account'
    assert_kind_of Array, Catalog.uncovered_endpoints
  end

  def test_reverse_map_should_hold_only_endpoints
    map = Catalog.endpoints_by_scope

    assert_equal [], map['log_time_for_other_users'] # declared with `require: :member` only
    assert_empty map.values.flatten.grep(%r{\Arequire/})
  end

  def test_uncovered_endpoints_should_name_users_show_for_other_users
    UsersController # loaded, as in production

    assert_includes Catalog.uncovered_endpoints, 'users/show (other than current)'
    assert_not_includes Catalog.uncovered_endpoints, 'my/account'
  end
end
