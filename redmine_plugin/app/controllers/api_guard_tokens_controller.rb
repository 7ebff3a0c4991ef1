# frozen_string_literal: true

# "My account" > Access tokens: a user's own personal access tokens.
class ApiGuardTokensController < ApplicationController
  self.main_menu = false

  before_action :require_login
  rescue_from RedmineApiGuard::SidecarError::Unavailable, with: :sidecar_unavailable

  helper :api_guard_tokens

  def index
    @tokens = sidecar.list_user_tokens(User.current.id)
  end

  def new
    @name = ''
    @expires_on = default_expiry
  end

  def create
    @name = params[:name].to_s
    @expires_on = params[:expires_on].to_s
    created = sidecar.create_token(
      user_id: User.current.id, name: @name, expires_at: end_of_day(@expires_on), actor: actor
    )
    @token = created.token
    @plaintext = created.plaintext
    # The plaintext is in this response only: no caching anywhere on the way.
    response.headers['Cache-Control'] = 'no-store'
    render :created
  rescue RedmineApiGuard::SidecarError::Invalid, ArgumentError => e
    flash.now[:error] = e.message
    render :new, status: 422
  end

  def destroy
    sidecar.revoke_token(params[:id].to_i, owner_id: User.current.id, actor: actor)
    flash[:notice] = l(:notice_api_guard_token_revoked)
    redirect_to api_guard_tokens_path
  rescue RedmineApiGuard::SidecarError::NotFound
    render_404
  end

  private

  def sidecar
    RedmineApiGuard::SidecarClient.current
  end

  def actor
    { user_id: User.current.id, remote_ip: request.remote_ip, request_id: request.request_id }
  end

  def default_expiry
    (Time.now.utc.to_date + RedmineApiGuard::Settings.default_lifetime_days).iso8601
  end

  # The form asks for a day; the token lives until that day ends (UTC).
  def end_of_day(value)
    return nil if value.blank?

    date = Date.iso8601(value)
    Time.utc(date.year, date.month, date.day, 23, 59, 59)
  rescue Date::Error
    raise ArgumentError, l(:error_api_guard_invalid_date)
  end

  def sidecar_unavailable
    @tokens = []
    @sidecar_down = true
    flash.now[:error] = l(:error_api_guard_unavailable)
    render :index, status: 503
  end
end
