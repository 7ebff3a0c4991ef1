# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Resetting a legacy API key must end the old key at once.
    module TokenPatch
      def self.prepended(base)
        base.after_commit :api_guard_forget, on: [:update, :destroy]
      end

      private

      def api_guard_forget
        RedmineApiGuard::CacheInvalidation.user_changed(user_id) if action == 'api'
      end
    end
  end
end
