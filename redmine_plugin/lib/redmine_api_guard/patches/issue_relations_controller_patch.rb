# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Before 6.1 the relations of an issue are listed and created without
    # checking that the issue itself is visible (the project permission is
    # enough), and the listing shows every relation. Under a restricted token
    # both follow visibility, as Redmine 6.1 does for everyone.
    module IssueRelationsControllerPatch
      def index
        return super unless RedmineApiGuard::Restriction.current

        @relations = @issue.relations.select { |relation| relation.other_issue(@issue)&.visible? }
        respond_to do |format|
          format.html { head :ok }
          format.api
        end
      end

      private

      def find_issue
        super
        return if performed? || @issue.nil? || !RedmineApiGuard::Restriction.current || @issue.visible?

        render_403
      end
    end
  end
end
