# frozen_string_literal: true

module ApiGuardTokensHelper
  STATUS_NAMES = {
    TOKEN_STATUS_ACTIVE: 'active', TOKEN_STATUS_EXPIRED: 'expired', TOKEN_STATUS_REVOKED: 'revoked'
  }.freeze

  # Returns the token's status as a short word (active, expired, revoked).
  def api_guard_status_name(token)
    STATUS_NAMES.fetch(token.status, 'unknown')
  end

  def api_guard_status_tag(token)
    name = api_guard_status_name(token)
    content_tag(:span, l("label_api_guard_status_#{name}"), class: "api-guard-status api-guard-status-#{name}")
  end

  # Formats a protobuf Timestamp with the user's time zone; '-' when unset.
  def api_guard_time(timestamp)
    return '-' if timestamp.nil? || timestamp.seconds.zero?

    format_time(Time.at(timestamp.seconds).utc)
  end

  def api_guard_date(timestamp)
    return '-' if timestamp.nil? || timestamp.seconds.zero?

    format_date(Time.at(timestamp.seconds).utc.to_date)
  end

  def api_guard_max_expiry(max_days)
    (Time.now.utc.to_date + max_days).iso8601
  end

  # Scope checkboxes grouped by project module (core and plugins), then the
  # account and administration scopes.
  def api_guard_scope_groups
    grantable = RedmineApiGuard::ScopeCatalog.grantable_for(User.current)
    groups = Redmine::AccessControl.permissions.group_by(&:project_module).map do |mod, permissions|
      label = mod ? l_or_humanize(mod, prefix: 'project_module_') : l(:label_project)
      [label, permissions.map { |p| [p.name.to_s, l_or_humanize(p.name, prefix: 'permission_')] }]
    end
    groups << [l(:label_api_guard_scope_account),
               RedmineApiGuard::ScopeCatalog::ACCOUNT_SCOPES.keys.map { |k| [k, l("label_api_guard_scope_#{k}")] }]
    groups << [l(:label_administration), [['admin', l(:label_api_guard_scope_admin)]]]
    groups.map { |label, scopes| [label, scopes.select { |name, _| grantable.include?(name) }] }
          .reject { |_, scopes| scopes.empty? }
  end

  # "All permissions" (of the owner), or the scope names.
  def api_guard_scopes_summary(token)
    return l(:label_api_guard_all_permissions) if token.scopes.empty?

    content_tag(:span, l(:label_api_guard_scope_count, count: token.scopes.size), title: token.scopes.to_a.join(', '))
  end

  # Projects and trackers a token is restricted to; "-" when none.
  def api_guard_restrictions_summary(token)
    parts = []
    if token.projects.any?
      names = Project.where(id: token.projects.map(&:project_id)).pluck(:id, :name).to_h
      parts << token.projects.map { |p| "#{names[p.project_id] || "##{p.project_id}"}#{" #{l(:label_api_guard_plus_subprojects)}" if p.include_subprojects}" }.join(', ')
    end
    parts << Tracker.where(id: token.tracker_ids.to_a).pluck(:name).join(', ') if token.tracker_ids.any?
    parts.empty? ? '-' : parts.join(' / ')
  end

  def api_guard_status_options(selected)
    options = [[l(:label_all), '']] +
              %w[active expired revoked].map { |s| [l("label_api_guard_status_#{s}"), s] }
    options_for_select(options, selected)
  end
end
