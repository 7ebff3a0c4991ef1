# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Narrowing a version's sharing clears it from the issues of projects it
    # is no longer shared with, skipping those core cannot save: refused to a
    # restricted token when a hidden issue has the version.
    module VersionsControllerPatch
      def update
        api_guard_refuse_beyond { @version && api_guard_sharing_changes? && api_guard_hidden_users? } || super
      end

      private

      # Mirrors core: issues of other projects lose the version when its
      # sharing narrows to a value core accepts.
      def api_guard_sharing_changes?
        attributes = params[:version]
        return false unless attributes.respond_to?(:key?) && attributes.key?(:sharing)

        sharing = attributes[:sharing].to_s
        order = Version::VERSION_SHARINGS
        @version.allowed_sharings.include?(sharing) && order.index(sharing) < (order.index(@version.sharing) || 0)
      end

      def api_guard_hidden_users?
        RedmineApiGuard::Restriction.hidden?(@version.fixed_issues.where.not(project_id: @version.project_id))
      end
    end
  end
end
