# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Deleting an issue deletes its subtasks and recomputes its parent; the
    # time logged on them may be moved to another issue. Under a restricted
    # token all of these must be issues the token can see.
    module IssuesControllerPatch
      def destroy
        restriction = RedmineApiGuard::Restriction.current
        return super unless restriction

        if @issues.any? { |issue| api_guard_hidden_relatives?(issue) }
          api_guard_render(403, l(:error_api_guard_beyond_restriction))
        elsif params[:todo] == 'reassign' && !Issue.visible.exists?(id: params[:reassign_to_id].to_s.to_i)
          api_guard_render(422, l(:error_issue_not_found_in_project))
        else
          super
        end
      end

      private

      def api_guard_hidden_relatives?(issue)
        RedmineApiGuard::Restriction.hidden?(issue.descendants) || RedmineApiGuard::Restriction.hidden?(issue.ancestors)
      end
    end
  end
end
