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

  def api_guard_status_options(selected)
    options = [[l(:label_all), '']] +
              %w[active expired revoked].map { |s| [l("label_api_guard_status_#{s}"), s] }
    options_for_select(options, selected)
  end
end
