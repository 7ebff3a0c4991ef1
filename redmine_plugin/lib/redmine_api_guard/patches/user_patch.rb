# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # A locked or deleted user loses API access at once, cached or not; a
    # deleted user's tokens are revoked, so that no list shows them active.
    module UserPatch
      def self.prepended(base)
        base.after_commit :api_guard_forget, on: [:update, :destroy]
        base.after_commit :api_guard_revoke_tokens, on: :destroy
      end

      private

      def api_guard_forget
        return unless destroyed? || saved_change_to_status? || saved_change_to_admin?

        RedmineApiGuard::CacheInvalidation.user_changed(id)
      end

      # Best effort like the invalidation: the sidecar refuses the tokens of a
      # user that no longer exists anyway.
      def api_guard_revoke_tokens
        client = RedmineApiGuard::SidecarClient.current
        actor = {user_id: User.current&.id.to_i}
        client.list_user_tokens(id, include_revoked: false).each do |token|
          client.revoke_token(token.id, owner_id: id, actor: actor)
        end
      rescue StandardError, LoadError => e
        Rails.logger.warn("[redmine_api_guard] tokens of deleted user_id=#{id} not revoked: #{e.message}")
      end
    end
  end
end
