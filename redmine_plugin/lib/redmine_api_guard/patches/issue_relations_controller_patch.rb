# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # GET /issues/:id/relations lists every relation of the issue; under a
    # restricted token only those whose other issue it can see, as the issue
    # page itself does.
    module IssueRelationsControllerPatch
      def index
        return super unless RedmineApiGuard::Restriction.current

        @relations = @issue.relations.select { |relation| relation.other_issue(@issue)&.visible? }
        respond_to do |format|
          format.html { head :ok }
          format.api
        end
      end
    end
  end
end
