# frozen_string_literal: true

# Administration > API tokens: every personal access token of every user.
class ApiGuardAdminTokensController < ApplicationController
  layout 'admin'
  self.main_menu = false

  before_action :require_admin
  rescue_from RedmineApiGuard::SidecarError::Unavailable, with: :sidecar_unavailable

  helper :api_guard_tokens
  helper :sort

  STATUSES = {
    'active' => :TOKEN_STATUS_ACTIVE, 'expired' => :TOKEN_STATUS_EXPIRED, 'revoked' => :TOKEN_STATUS_REVOKED
  }.freeze
  PER_PAGE = 25

  def index
    read_filters
    page = [params[:page].to_i, 1].max
    result = RedmineApiGuard::SidecarClient.current.list_tokens(
      user_id: @user_id, status: STATUSES.fetch(@status, :TOKEN_STATUS_UNSPECIFIED),
      expiring_within_days: @expiring_within, page: page, per_page: PER_PAGE
    )
    @tokens = result.tokens
    @token_pages = Redmine::Pagination::Paginator.new(result.total_count, PER_PAGE, page)
    @users_by_id = User.where(id: @tokens.map(&:user_id).uniq).index_by(&:id)
  end

  def destroy
    RedmineApiGuard::SidecarClient.current.revoke_token(
      params[:id].to_i, owner_id: 0,
      actor: { user_id: User.current.id, remote_ip: request.remote_ip, request_id: request.request_id }
    )
    flash[:notice] = l(:notice_api_guard_token_revoked)
    redirect_to api_guard_admin_tokens_path(params.permit(:user_id, :status, :expiring_within, :page).to_h)
  rescue RedmineApiGuard::SidecarError::NotFound
    render_404
  end

  private

  def read_filters
    @user_id = params[:user_id].to_i
    @status = STATUSES.key?(params[:status]) ? params[:status] : ''
    @expiring_within = params[:expiring_within].to_i.clamp(0, 3650)
    @filter_users = User.where(id: User.active.select(:id)).sorted.to_a
  end

  def sidecar_unavailable
    read_filters
    @tokens = []
    @token_pages = Redmine::Pagination::Paginator.new(0, PER_PAGE, 1)
    @users_by_id = {}
    flash.now[:error] = l(:error_api_guard_unavailable)
    render :index, status: 503
  end
end
