# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Subprojects that inherit members take every membership change of their
    # parent: refused to a token not restricted to them as well. Roles grant
    # rights over every tracker: refused to a tracker restriction.
    module MembersControllerPatch
      def create
        api_guard_refuse_inherited_members || super
      end

      def update
        api_guard_refuse_inherited_members || super
      end

      def destroy
        api_guard_refuse_inherited_members || super
      end

      private

      # Returns true when it refused the request.
      def api_guard_refuse_inherited_members
        restriction = RedmineApiGuard::Restriction.current
        return false unless restriction && @project
        # Roles reach the issues of every tracker.
        return false unless restriction.tracker_ids ||
                            restriction.outside_subprojects(@project).where(inherit_members: true).exists?

        api_guard_render(403, l(:error_api_guard_beyond_restriction))
        true
      end
    end
  end
end
