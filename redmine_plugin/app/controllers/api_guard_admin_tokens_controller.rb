# frozen_string_literal: true

# Administration > API tokens: every personal access token of every user.
class ApiGuardAdminTokensController < ApplicationController
  layout 'admin'
  self.main_menu = false

  include RedmineApiGuard::SidecarFailures

  before_action :require_admin
  # The reverse scope map is for administrators' tools too (an admin token).
  accept_api_auth :scopes

  helper :api_guard_tokens

  STATUSES = {
    'active' => :TOKEN_STATUS_ACTIVE, 'expired' => :TOKEN_STATUS_EXPIRED, 'revoked' => :TOKEN_STATUS_REVOKED
  }.freeze
  def index
    read_filters
    page = scalar(:page).to_i.clamp(1, 100_000)
    # Redmine's per-page choice (Administration > Settings > Display); the
    # sidecar caps it and answers the size it used.
    result = RedmineApiGuard::SidecarClient.current.list_tokens(
      user_id: @user_id, status: STATUSES.fetch(@status, :TOKEN_STATUS_UNSPECIFIED),
      expiring_within_days: @expiring_within, page: page, per_page: per_page_option
    )
    @tokens = result.tokens
    per_page = result.per_page.positive? ? result.per_page : per_page_option
    @token_pages = Redmine::Pagination::Paginator.new(result.total_count, per_page, page)
    @users_by_id = User.where(id: @tokens.map(&:user_id).uniq).index_by(&:id)
  end

  # The reverse scope map, for administrators and their tools.
  def scopes
    catalog = RedmineApiGuard::ScopeCatalog
    render json: { scopes: catalog.endpoints_by_scope, uncovered: catalog.uncovered_endpoints,
                   grantable: catalog.grantable }
  end

  def destroy
    RedmineApiGuard::SidecarClient.current.revoke_token(
      api_guard_token_id, owner_id: 0,
      actor: { user_id: User.current.id, remote_ip: request.remote_ip, request_id: request.request_id }
    )
    flash[:notice] = l(:notice_api_guard_token_revoked)
    redirect_to api_guard_admin_tokens_path(filter_params)
  end

  private

  # Returns a query parameter only when it is a plain string.
  def scalar(name)
    params[name].is_a?(String) ? params[name] : ''
  end

  def filter_params
    { user_id: scalar(:user_id), status: scalar(:status), expiring_within: scalar(:expiring_within),
      page: scalar(:page) }.compact_blank
  end
  helper_method :filter_params

  def read_filters
    @user_id = scalar(:user_id).to_i.clamp(0, RedmineApiGuard::SidecarFailures::MAX_ID)
    @status = STATUSES.key?(scalar(:status)) ? scalar(:status) : ''
    @expiring_within = scalar(:expiring_within).to_i.clamp(0, 3650)
    @filter_users = User.where(type: 'User').sorted.to_a
  end

  def api_guard_unavailable_page
    read_filters
    @tokens = []
    @token_pages = Redmine::Pagination::Paginator.new(0, per_page_option, 1)
    @users_by_id = {}
    flash.now[:error] = l(:error_api_guard_unavailable)
    render :index, status: 503
  end
end
