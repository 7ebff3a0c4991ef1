# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Subprojects that inherit members take every membership change of their
    # parent: refused to a token not restricted to them as well. Roles grant
    # rights over every tracker: refused to a tracker restriction.
    module MembersControllerPatch
      def create
        api_guard_refuse_beyond { |restriction| api_guard_roles_reach_beyond?(restriction) } || super
      end

      def update
        api_guard_refuse_beyond { |restriction| api_guard_roles_reach_beyond?(restriction) } || super
      end

      def destroy
        api_guard_refuse_beyond { |restriction| api_guard_roles_reach_beyond?(restriction) } || super
      end

      private

      # Roles reach the issues of every tracker, and subprojects that inherit
      # members.
      def api_guard_roles_reach_beyond?(restriction)
        return false unless @project

        restriction.tracker_ids || restriction.outside_subprojects(@project).where(inherit_members: true).exists?
      end
    end
  end
end
