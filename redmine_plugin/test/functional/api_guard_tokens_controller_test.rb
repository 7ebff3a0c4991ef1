# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class ApiGuardTokensControllerTest < Redmine::ControllerTest
  include RedmineApiGuard::FakeSidecar

  fixtures :users, :email_addresses, :user_preferences, :roles, :members, :member_roles, :projects,
           :enabled_modules, :trackers

  def setup
    @request.session[:user_id] = 2
  end

  def test_index_should_require_login
    @request.session[:user_id] = nil
    get :index

    assert_response 302
    assert_redirected_to '/login?back_url=http%3A%2F%2Ftest.host%2Fmy%2Fapi_tokens'
    assert_empty sidecar.calls
  end

  def test_index_should_list_the_tokens_of_the_current_user
    sidecar.user_tokens = [
      pb_token(id: 7, name: 'deploy script', last_used_ip: '192.0.2.7'),
      pb_token(id: 8, name: 'old laptop', status: :TOKEN_STATUS_REVOKED),
      pb_token(id: 9, name: 'ci', status: :TOKEN_STATUS_EXPIRED)
    ]
    get :index

    assert_response :success
    assert_equal [{user_id: 2, include_revoked: true}], sidecar.calls_to(:list_user_tokens)
    assert_select 'table.api-guard-tokens tbody tr', 3
    assert_select 'tr#api-guard-token-7.active' do
      assert_select 'td.name', text: 'deploy script'
      assert_select 'code', text: 'rmp_0007…'
      assert_select 'td', text: '192.0.2.7'
      assert_select 'span.api-guard-status-active', text: 'Active'
      assert_select 'a.icon-del[href=?][data-method=delete]', '/my/api_tokens/7'
    end
    assert_select 'tr#api-guard-token-8.revoked' do
      assert_select 'span.api-guard-status-revoked', text: 'Revoked'
      assert_select 'a.icon-del', 0
    end
    assert_select 'tr#api-guard-token-9.expired span.api-guard-status-expired', text: 'Expired'
    assert_select 'a[href=?]', '/my/api_tokens/new'
  end

  def test_index_without_tokens_should_say_so
    get :index

    assert_response :success
    assert_select 'p.nodata', text: I18n.t(:label_no_data)
    assert_select 'table.api-guard-tokens', 0
  end

  def test_index_should_respond_with_503_when_the_sidecar_is_unavailable
    sidecar.fail_with(:list_user_tokens, RedmineApiGuard::SidecarError::Unavailable.new('connect failed'))
    get :index

    assert_response 503
    assert_select 'div#flash_error', text: I18n.t(:error_api_guard_unavailable)
    assert_equal 1, response.body.scan(I18n.t(:error_api_guard_unavailable)).size, 'said once'
    assert_select 'a[href=?]', '/my/api_tokens/new', 0
    assert_not_includes response.body, 'connect failed'
  end

  def test_new_should_require_login
    @request.session[:user_id] = nil
    get :new

    assert_response 302
    assert_redirected_to '/login?back_url=http%3A%2F%2Ftest.host%2Fmy%2Fapi_tokens%2Fnew'
  end

  def test_new_should_prefill_the_default_expiry_from_the_sidecar_policy
    sidecar.policy_message = RedmineApiGuardProto::V1::Policy.new(
      max_lifetime_days: 365, default_lifetime_days: 30, legacy_key_policy: :LEGACY_KEY_POLICY_ALLOWED
    )
    travel_to Time.utc(2024, 5, 10, 12, 0, 0) do
      get :new
    end

    assert_response :success
    assert_select 'form#api-guard-token-form[action=?][method=post]', '/my/api_tokens' do
      assert_select 'input[name=name][value=""]'
      assert_select 'input[type=date][name=expires_on][value=?]', '2024-06-09'
      assert_select 'input[name=expires_on][min=?][max=?]', '2024-05-10', '2025-05-10'
    end
    assert_empty sidecar.calls_to(:create_token)
  end

  def test_new_should_prefill_the_plugin_default_expiry_of_90_days
    travel_to Time.utc(2024, 1, 1, 23, 30, 0) do
      with_settings(plugin_redmine_api_guard: {}) do
        get :new
      end
    end

    assert_response :success
    assert_select 'input[name=expires_on][value=?]', '2024-03-31'
  end

  def test_create_should_render_the_plaintext_once_without_caching
    post :create, params: {name: 'deploy script', expires_on: '2030-01-31'}

    assert_response :success
    assert_equal 'no-store', response.headers['Cache-Control']
    assert_select 'pre#api-guard-plaintext', text: "rmp_0042#{'x' * 40}"
    assert_select 'div.flash.warning', text: I18n.t(:text_api_guard_copy_now)
    assert_select 'h2', text: /deploy script/
    assert_equal 1, response.body.scan("rmp_0042#{'x' * 40}").size
  end

  def test_create_should_pass_an_end_of_day_utc_expiry_to_the_sidecar
    post :create, params: {name: 'deploy script', expires_on: '2030-01-31'}

    assert_response :success
    call = sidecar.calls_to(:create_token).first
    assert_equal 2, call[:user_id]
    assert_equal 'deploy script', call[:name]
    assert_equal Time.utc(2030, 1, 31, 23, 59, 59), call[:expires_at]
    assert call[:expires_at].utc?
    assert_equal 2, call[:actor][:user_id]
    assert_equal '0.0.0.0', call[:actor][:remote_ip]
  end

  def test_create_should_refuse_the_admin_scope_to_a_non_admin
    post :create, params: {name: 'admin wanted', expires_on: '2030-01-31', preset: 'custom', scopes: %w[admin view_issues]}

    assert_response 422
    assert_select 'div.flash.error', text: /cannot be granted: admin/
    assert_empty sidecar.calls_to(:create_token)
  end

  def test_create_all_permissions_of_a_non_admin_should_stay_unscoped
    post :create, params: {name: 'everything', expires_on: '2030-01-31', preset: 'all'}

    assert_response :success
    assert_nil sidecar.calls_to(:create_token).first[:scopes]
  end

  def test_create_should_grant_the_admin_scope_to_an_admin
    @request.session[:user_id] = 1
    post :create, params: {name: 'admin', expires_on: '2030-01-31', preset: 'custom', scopes: %w[admin]}

    assert_response :success
    assert_equal ['admin'], sidecar.calls_to(:create_token).first[:scopes]
  end

  def test_create_should_include_subprojects_per_project_or_for_all
    post :create, params: {name: 'per project', expires_on: '2030-01-31', project_ids: %w[1 2], subproject_ids: %w[1]}

    assert_response :success
    assert_equal [[1, true], [2, false]], sidecar.calls_to(:create_token).last[:projects]

    post :create, params: {name: 'all', expires_on: '2030-01-31', project_ids: %w[1 2], with_subprojects: '1'}
    assert_equal [[1, true], [2, true]], sidecar.calls_to(:create_token).last[:projects]
  end

  def test_new_should_offer_subprojects_of_projects_that_have_some
    get :new

    assert_response :success
    assert_select 'select[name=?]', 'subproject_ids[]' do
      assert_select 'option[value="1"]'
      assert_select 'option[value="2"]', 0
    end
  end

  def test_create_without_expiry_should_let_the_sidecar_apply_the_default
    post :create, params: {name: 'no expiry given', expires_on: ''}

    assert_response :success
    assert_nil sidecar.calls_to(:create_token).first[:expires_at]
  end

  def test_create_with_an_invalid_sidecar_answer_should_render_the_form_with_422
    sidecar.fail_with(:create_token,
                      RedmineApiGuard::SidecarError::Invalid.new('expiry is beyond the maximum lifetime of 365 days'))
    post :create, params: {name: 'too long', expires_on: '2099-12-31'}

    assert_response 422
    assert_select 'div#flash_error', text: 'expiry is beyond the maximum lifetime of 365 days'
    assert_select 'form#api-guard-token-form' do
      assert_select 'input[name=name][value=?]', 'too long'
      assert_select 'input[name=expires_on][value=?]', '2099-12-31'
    end
    assert_select 'pre#api-guard-plaintext', 0
  end

  def test_create_with_an_invalid_date_should_render_the_form_with_422
    post :create, params: {name: 'bad date', expires_on: '2030-02-31'}

    assert_response 422
    assert_select 'div#flash_error', text: I18n.t(:error_api_guard_invalid_date)
    assert_empty sidecar.calls_to(:create_token)
  end

  def test_create_should_respond_with_503_when_the_sidecar_is_unavailable
    sidecar.fail_with(:create_token, RedmineApiGuard::SidecarError::Unavailable.new('deadline exceeded'))
    post :create, params: {name: 'deploy script', expires_on: '2030-01-31'}

    assert_response 503
    assert_select 'div#flash_error', text: I18n.t(:error_api_guard_unavailable)
    assert_select 'pre#api-guard-plaintext', 0
  end

  def test_create_should_require_login
    @request.session[:user_id] = nil
    post :create, params: {name: 'deploy script', expires_on: '2030-01-31'}

    assert_response 302
    assert_empty sidecar.calls
  end

  def test_destroy_should_revoke_the_token_of_the_current_user
    delete :destroy, params: {id: 7}

    assert_redirected_to '/my/api_tokens'
    assert_equal I18n.t(:notice_api_guard_token_revoked), flash[:notice]
    call = sidecar.calls_to(:revoke_token).first
    assert_equal 7, call[:id]
    assert_equal 2, call[:owner_id]
    assert_equal 2, call[:actor][:user_id]
  end

  def test_destroy_of_a_token_not_found_should_respond_with_404
    sidecar.fail_with(:revoke_token, RedmineApiGuard::SidecarError::NotFound.new('token 99 not found'))
    delete :destroy, params: {id: 99}

    assert_response 404
    assert_nil flash[:notice]
  end

  def test_destroy_should_require_login
    @request.session[:user_id] = nil
    delete :destroy, params: {id: 7}

    assert_response 302
    assert_empty sidecar.calls
  end
end
