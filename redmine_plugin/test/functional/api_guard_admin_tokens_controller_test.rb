# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class ApiGuardAdminTokensControllerTest < Redmine::ControllerTest
  include RedmineApiGuard::FakeSidecar

  fixtures :users, :email_addresses, :user_preferences, :roles, :members, :member_roles

  def setup
    @request.session[:user_id] = 1 # admin
  end

  def test_index_by_non_admin_should_respond_with_403
    @request.session[:user_id] = 2
    get :index

    assert_response 403
    assert_empty sidecar.calls
  end

  def test_index_by_anonymous_should_redirect_to_login
    @request.session[:user_id] = nil
    get :index

    assert_response 302
    assert_redirected_to '/login?back_url=http%3A%2F%2Ftest.host%2Fadmin%2Fapi_tokens'
    assert_empty sidecar.calls
  end

  def test_index_should_list_the_tokens_of_every_user
    sidecar.list_tokens_response = list_response(
      [pb_token(id: 3, user_id: 2, name: 'deploy script'),
       pb_token(id: 4, user_id: 3, name: 'backup', status: :TOKEN_STATUS_REVOKED),
       pb_token(id: 5, user_id: 999, name: 'orphan')],
      total_count: 3
    )
    get :index

    assert_response :success
    assert_equal [{user_id: 0, status: :TOKEN_STATUS_UNSPECIFIED, expiring_within_days: 0, page: 1, per_page: 25}],
                 sidecar.calls_to(:list_tokens)
    assert_select 'table.api-guard-tokens tbody tr', 3
    assert_select 'tr#api-guard-token-3' do
      assert_select 'td.username a[href=?]', '/users/2', text: 'John Smith'
      assert_select 'td.name', text: 'deploy script'
      assert_select 'a.icon-del[data-method=delete]'
    end
    assert_select 'tr#api-guard-token-4' do
      assert_select 'td.username a', text: 'Dave Lopper'
      assert_select 'a.icon-del', 0
    end
    assert_select 'tr#api-guard-token-5 td.username', text: '#999'
    assert_select 'select[name=user_id] option[value="2"]', text: 'John Smith'
    # locked users keep their tokens, so they are offered in the filter too
    assert_select 'select[name=user_id] option[value="5"]', 1
  end

  def test_index_without_tokens_should_say_so
    get :index

    assert_response :success
    assert_select 'p.nodata', text: I18n.t(:label_no_data)
  end

  def test_index_should_pass_the_filters_to_the_sidecar
    get :index, params: {user_id: '2', status: 'expired', expiring_within: '30'}

    assert_response :success
    assert_equal [{user_id: 2, status: :TOKEN_STATUS_EXPIRED, expiring_within_days: 30, page: 1, per_page: 25}],
                 sidecar.calls_to(:list_tokens)
    assert_select 'select[name=user_id] option[value="2"][selected=selected]'
    assert_select 'select[name=status] option[value=expired][selected=selected]'
    assert_select 'input[name=expiring_within][value="30"]'
  end

  def test_index_should_map_each_status_filter
    {'active' => :TOKEN_STATUS_ACTIVE, 'expired' => :TOKEN_STATUS_EXPIRED,
     'revoked' => :TOKEN_STATUS_REVOKED, '' => :TOKEN_STATUS_UNSPECIFIED,
     'bogus' => :TOKEN_STATUS_UNSPECIFIED}.each do |param, status|
      sidecar.calls.clear
      get :index, params: {status: param}

      assert_response :success
      assert_equal status, sidecar.calls_to(:list_tokens).first[:status], "status=#{param}"
    end
  end

  def test_index_should_bound_the_numeric_filters
    get :index, params: {user_id: 'abc', expiring_within: '99999', page: '-3'}

    assert_response :success
    call = sidecar.calls_to(:list_tokens).first
    assert_equal 0, call[:user_id]
    assert_equal 3650, call[:expiring_within_days]
    assert_equal 1, call[:page]
  end

  def test_index_should_paginate
    sidecar.list_tokens_response = list_response(
      (26..50).map { |id| pb_token(id: id, name: "token #{id}") }, total_count: 60, page: 2
    )
    get :index, params: {page: '2', status: 'active'}

    assert_response :success
    call = sidecar.calls_to(:list_tokens).first
    assert_equal 2, call[:page]
    assert_equal 25, call[:per_page]
    assert_select 'table.api-guard-tokens tbody tr', 25
    assert_select 'span.pagination' do
      assert_select 'li.current span', text: '2'
      assert_select 'a[href=?]', '/admin/api_tokens?page=3&status=active', text: '3'
      assert_select 'a[href=?]', '/admin/api_tokens?page=1&status=active', text: '1'
      assert_select 'span.items', text: '(26-50/60)'
    end
  end

  def test_index_should_respond_with_503_when_the_sidecar_is_unavailable
    sidecar.fail_with(:list_tokens, RedmineApiGuard::SidecarError::Unavailable.new('connect failed'))
    get :index, params: {status: 'active'}

    assert_response 503
    assert_select 'div#flash_error', text: I18n.t(:error_api_guard_unavailable)
    assert_select 'select[name=status] option[value=active][selected=selected]'
    assert_select 'table.api-guard-tokens', 0
  end

  def test_destroy_should_revoke_any_token_with_owner_id_0
    delete :destroy, params: {id: 12}

    assert_redirected_to '/admin/api_tokens'
    assert_equal I18n.t(:notice_api_guard_token_revoked), flash[:notice]
    call = sidecar.calls_to(:revoke_token).first
    assert_equal 12, call[:id]
    assert_equal 0, call[:owner_id]
    assert_equal 1, call[:actor][:user_id]
  end

  def test_destroy_should_keep_the_filters_in_the_redirection
    delete :destroy, params: {id: 12, user_id: '2', status: 'active', expiring_within: '', page: '2'}

    assert_redirected_to '/admin/api_tokens?page=2&status=active&user_id=2'
  end

  def test_destroy_of_a_token_not_found_should_respond_with_404
    sidecar.fail_with(:revoke_token, RedmineApiGuard::SidecarError::NotFound.new('token 99 not found'))
    delete :destroy, params: {id: 99}

    assert_response 404
  end

  def test_destroy_by_non_admin_should_respond_with_403
    @request.session[:user_id] = 2
    delete :destroy, params: {id: 12}

    assert_response 403
    assert_empty sidecar.calls_to(:revoke_token)
  end

  def test_index_should_follow_redmines_per_page_choice
    with_settings per_page_options: '25,50,100' do
      get :index, params: {per_page: '50'}
    end

    assert_response :success
    assert_equal 50, sidecar.calls_to(:list_tokens).first[:per_page]
  end

  def test_index_should_paginate_with_the_size_the_sidecar_used
    sidecar.list_tokens_response = RedmineApiGuardProto::V1::ListTokensResponse.new(
      tokens: (1..100).map { |id| pb_token(id: id, name: "token #{id}") }, total_count: 120, page: 1, per_page: 100
    )
    get :index

    assert_response :success
    assert_select 'span.pagination', text: /1-100\/120/
  end

  private

  def list_response(tokens, total_count:, page: 1)
    PB::ListTokensResponse.new(tokens: tokens, total_count: total_count, page: page, per_page: 25)
  end
end
