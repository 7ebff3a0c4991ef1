# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Closing, reopening and deleting a project apply to its subprojects and
    # to the issues of every tracker: refused to a token restricted to fewer.
    # Deleting also takes issues' subtasks, parents and relations, and the
    # project's versions, wherever they are. A project's settings (trackers,
    # modules, custom fields) reach the issues of every tracker: refused to a
    # tracker restriction; a project restriction cannot make its project a
    # top-level one (it could not move it back).
    module ProjectsControllerPatch
      def close
        api_guard_refuse_beyond_project || super
      end

      def reopen
        api_guard_refuse_beyond_project || super
      end

      def destroy
        restriction = RedmineApiGuard::Restriction.current
        if restriction && @project && restriction.beyond_project_deletion?(@project)
          api_guard_render(403, l(:error_api_guard_beyond_restriction))
        else
          super
        end
      end

      def update
        api_guard_refuse_settings_change || super
      end

      private

      # Returns true when it refused the request.
      def api_guard_refuse_settings_change
        restriction = RedmineApiGuard::Restriction.current
        return false unless restriction && @project

        attributes = params[:project]
        to_top = restriction.project_ids && attributes.respond_to?(:key?) && attributes.key?(:parent_id) &&
                 attributes[:parent_id].blank? && @project.parent_id
        return false unless restriction.tracker_ids || to_top

        api_guard_render(403, l(:error_api_guard_beyond_restriction))
        true
      end

      # Returns true when it refused the request.
      def api_guard_refuse_beyond_project
        restriction = RedmineApiGuard::Restriction.current
        return false unless restriction && @project && restriction.beyond_project?(@project)

        api_guard_render(403, l(:error_api_guard_beyond_restriction))
        true
      end
    end
  end
end
