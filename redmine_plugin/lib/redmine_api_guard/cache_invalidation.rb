# frozen_string_literal: true

module RedmineApiGuard
  # Tells the sidecar to forget what it caches about a user. Best effort: the
  # sidecar's caches expire on their own within seconds, and Redmine itself
  # re-checks that the user is active on every request.
  module CacheInvalidation
    module_function

    def user_changed(user_id)
      SidecarClient.current.invalidate_user(user_id)
    rescue SidecarError => e
      Rails.logger.warn("[redmine_api_guard] cache invalidation skipped user_id=#{user_id}: #{e.message}")
    end

    def policy_changed
      SidecarClient.current.reload_policy
    rescue SidecarError => e
      Rails.logger.warn("[redmine_api_guard] policy reload skipped: #{e.message}")
    end
  end
end
