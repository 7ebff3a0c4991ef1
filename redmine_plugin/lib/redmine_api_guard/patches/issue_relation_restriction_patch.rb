# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # A new "precedes" or "follows" relation reschedules the following issue,
    # the leaves of its subtree and the issues that follow them. Under a
    # restricted token the relation is refused when any of them is hidden.
    module IssueRelationRestrictionPatch
      # Public, as in core.
      def validate_issue_relation
        super
        return unless new_record? && RedmineApiGuard::Restriction.current

        moved = api_guard_rescheduled_issue
        return unless moved && RedmineApiGuard::Restriction.hidden_reschedule?(moved)

        errors.add :base, l(:error_api_guard_beyond_restriction)
      end

      private

      # The issue the relation reschedules (before core turns "follows" into
      # "precedes" by swapping the two ends).
      def api_guard_rescheduled_issue
        case relation_type
        when IssueRelation::TYPE_PRECEDES then issue_to
        when IssueRelation::TYPE_FOLLOWS then issue_from
        end
      end
    end
  end
end
