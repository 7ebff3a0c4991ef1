# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Deleting an issue deletes its subtasks and recomputes its parent; the
    # time logged on them may be moved to another issue. Under a restricted
    # token all of these must be issues the token can see.
    module IssuesControllerPatch
      def destroy
        return super unless RedmineApiGuard::Restriction.current
        return if api_guard_refuse_beyond { @issues.any? { |issue| api_guard_hidden_relatives?(issue) } }

        if params[:todo] == 'reassign' && !Issue.visible.exists?(id: params[:reassign_to_id].to_s.to_i)
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
