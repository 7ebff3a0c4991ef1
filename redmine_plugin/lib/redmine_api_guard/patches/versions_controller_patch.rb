# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Narrowing a version's sharing clears it from the issues of projects it
    # is no longer shared with, skipping those core cannot save: refused to a
    # restricted token when a hidden issue has the version.
    module VersionsControllerPatch
      def update
        if RedmineApiGuard::Restriction.current && @version && api_guard_sharing_changes? &&
           RedmineApiGuard::Restriction.hidden?(@version.fixed_issues)
          api_guard_render(403, l(:error_api_guard_beyond_restriction))
        else
          super
        end
      end

      private

      def api_guard_sharing_changes?
        attributes = params[:version]
        attributes.respond_to?(:key?) && attributes.key?(:sharing) && attributes[:sharing].to_s != @version.sharing
      end
    end
  end
end
