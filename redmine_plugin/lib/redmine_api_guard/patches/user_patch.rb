# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # A locked or deleted user loses API access at once, cached or not.
    module UserPatch
      def self.prepended(base)
        base.after_commit :api_guard_forget, on: [:update, :destroy]
      end

      private

      def api_guard_forget
        return unless destroyed? || saved_change_to_status? || saved_change_to_admin?

        RedmineApiGuard::CacheInvalidation.user_changed(id)
      end
    end
  end
end
