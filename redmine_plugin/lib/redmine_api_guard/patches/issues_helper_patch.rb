# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # An issue's children in the API (include=children) are listed with their
    # subjects whatever their visibility; under a restricted token only the
    # children it can see are listed.
    module IssuesHelperPatch
      def render_api_issue_children(issue, api)
        return super unless RedmineApiGuard::Restriction.current

        super(RedmineApiGuard::VisibleChildren.new(issue), api)
      end
    end
  end
end
