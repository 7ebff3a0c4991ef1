# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Closing, reopening and deleting a project apply to its subprojects and
    # to the issues of every tracker: refused to a token restricted to fewer.
    module ProjectsControllerPatch
      def close
        api_guard_refuse_beyond_project || super
      end

      def reopen
        api_guard_refuse_beyond_project || super
      end

      def destroy
        api_guard_refuse_beyond_project || super
      end

      private

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
