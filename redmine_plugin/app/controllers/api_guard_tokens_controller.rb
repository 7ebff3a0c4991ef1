# frozen_string_literal: true

# "My account" > Access tokens: a user's own personal access tokens.
class ApiGuardTokensController < ApplicationController
  self.main_menu = false

  include RedmineApiGuard::SidecarFailures

  before_action :require_login
  # Like core's API key pages: with sudo mode on, re-enter the password first.
  require_sudo_mode :create, :destroy

  helper :api_guard_tokens

  def index
    @tokens = sidecar.list_user_tokens(User.current.id)
  end

  def new
    @name = ''
    @expires_on = default_expiry
    @preset = 'all'
    @scopes = []
    @project_ids = []
    @subproject_ids = []
    @tracker_ids = []
  end

  # The bounds the sidecar enforces, so that the form never promises more.
  def policy
    @policy ||= sidecar.policy
  end
  helper_method :policy

  def create
    @project_ids = @subproject_ids = @tracker_ids = []
    @name = params[:name].is_a?(String) ? params[:name] : ''
    @expires_on = params[:expires_on].is_a?(String) ? params[:expires_on] : ''
    @preset = params[:preset].is_a?(String) ? params[:preset] : 'all'
    @scopes = params[:scopes].is_a?(Array) ? params[:scopes].map(&:to_s) : []
    @with_subprojects = params[:with_subprojects] == '1'
    @project_ids = id_list(:project_ids, :error_api_guard_unknown_projects)
    @subproject_ids = id_list(:subproject_ids, :error_api_guard_unknown_projects)
    @tracker_ids = id_list(:tracker_ids, :error_api_guard_unknown_trackers)
    created = sidecar.create_token(
      user_id: User.current.id, name: @name, expires_at: end_of_day(@expires_on), actor: actor,
      scopes: requested_scopes, projects: requested_projects, tracker_ids: requested_trackers
    )
    @token = created.token
    @plaintext = created.plaintext
    # The plaintext is in this response only: no caching anywhere on the way.
    response.headers['Cache-Control'] = 'no-store'
    render :created
  rescue RedmineApiGuard::SidecarError::Invalid, ArgumentError => e
    # Redmine renders flash messages as HTML; the message may quote the name.
    flash.now[:error] = ERB::Util.html_escape(e.message)
    render :new, status: 422
  end

  def destroy
    sidecar.revoke_token(api_guard_token_id, owner_id: User.current.id, actor: actor)
    flash[:notice] = l(:notice_api_guard_token_revoked)
    redirect_to api_guard_tokens_path
  end

  private

  def sidecar
    RedmineApiGuard::SidecarClient.current
  end

  # Ids chosen on the form. A value that is no id is refused, never dropped:
  # a restriction lost on the way would give a broader token than asked for.
  def id_list(name, error)
    values = params[name]
    return [] if values.blank?
    raise ArgumentError, l(error) unless values.is_a?(Array)

    ids = values.map(&:to_s).reject(&:empty?)
    raise ArgumentError, l(error) unless ids.all? { |id| id.match?(/\A\d{1,9}\z/) }

    ids.map(&:to_i).uniq
  end

  # Only projects the user can see may restrict a token. Subprojects are
  # included for every selected project, or for those chosen one by one (a
  # project chosen there only is selected too).
  def requested_projects
    ids = (@project_ids + @subproject_ids).uniq
    visible = Project.visible.where(id: ids).pluck(:id)
    raise ArgumentError, l(:error_api_guard_unknown_projects) if visible.size != ids.size

    ids.map { |id| [id, @with_subprojects || @subproject_ids.include?(id)] }
  end

  def requested_trackers
    known = Tracker.where(id: @tracker_ids).pluck(:id)
    raise ArgumentError, l(:error_api_guard_unknown_trackers) if known.size != @tracker_ids.size

    known
  end

  # Returns the scopes to store (nil: every permission of the owner), or
  # raises ArgumentError with a message for the form.
  def requested_scopes
    catalog = RedmineApiGuard::ScopeCatalog
    raise ArgumentError, l(:error_api_guard_unknown_preset) unless catalog::PRESETS.include?(@preset)

    grantable = catalog.grantable_for(User.current)
    scopes = @preset == 'custom' ? @scopes : catalog.preset(@preset)
    # "All my permissions" is unrestricted unless the administrator limited the scopes.
    return (grantable.sort == catalog.all_for(User.current).sort ? nil : grantable) if scopes.nil?

    refused = @preset == 'custom' ? scopes - grantable : []
    raise ArgumentError, l(:error_api_guard_scope_not_grantable, scopes: refused.join(', ')) if refused.any?

    (scopes & grantable).presence || raise(ArgumentError, l(:error_api_guard_no_scope))
  end

  def actor
    { user_id: User.current.id, remote_ip: request.remote_ip, request_id: request.request_id }
  end

  def default_expiry
    (Time.now.utc.to_date + policy.default_lifetime_days).iso8601
  end

  # The form asks for a day; the token lives until that day ends (UTC).
  def end_of_day(value)
    return nil if value.blank?

    date = Date.iso8601(value)
    # Far years pass Date.iso8601 but fit no protobuf timestamp.
    raise ArgumentError, l(:error_api_guard_invalid_date) unless date.year.between?(1970, 9999)

    Time.utc(date.year, date.month, date.day, 23, 59, 59)
  rescue Date::Error
    raise ArgumentError, l(:error_api_guard_invalid_date)
  end

  def api_guard_unavailable_page
    @tokens = []
    @sidecar_down = true
    flash.now[:error] = l(:error_api_guard_unavailable)
    render :index, status: 503
  end
end
