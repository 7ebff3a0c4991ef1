# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Applies a changed policy (lifetimes, legacy keys) without waiting for the
    # sidecar's periodic refresh.
    module SettingPatch
      def self.prepended(base)
        base.after_commit :api_guard_reload, on: [:create, :update]
      end

      private

      def api_guard_reload
        RedmineApiGuard::CacheInvalidation.policy_changed if name == 'plugin_redmine_api_guard'
      end
    end
  end
end
