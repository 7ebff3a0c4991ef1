# frozen_string_literal: true

module RedmineApiGuard
  # Maps the sidecar's deny reasons to HTTP statuses: the one table for that.
  module Denial
    STATUS_BY_REASON = {
      DENY_REASON_SCOPE_DENIED: 403,
      DENY_REASON_PROJECT_DENIED: 403,
      DENY_REASON_ENDPOINT_DISABLED: 403,
      DENY_REASON_IP_NOT_ALLOWED: 403,
      DENY_REASON_RATE_LIMITED: 429
    }.freeze

    module_function

    # Every other reason (malformed, unknown, expired, revoked, locked owner,
    # legacy key refused, and any reason this plugin does not know yet) is 401.
    def http_status(reason)
      STATUS_BY_REASON.fetch(reason.to_s.to_sym, 401)
    end
  end
end
