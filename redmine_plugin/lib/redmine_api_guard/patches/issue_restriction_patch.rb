# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Issue listings and single issues, narrowed to a restricted token's trackers.
    module IssueRestrictionPatch
      module ClassMethods
        def visible_condition(user, options = {})
          RedmineApiGuard::Restriction.narrow_for(user, super, "#{Issue.table_name}.tracker_id", &:tracker_ids)
        end
      end

      def visible?(usr = nil)
        restriction = RedmineApiGuard::Restriction.current
        return false if restriction && (usr.nil? || usr == User.current) && !restriction.tracker_allowed?(tracker_id)

        super
      end
    end
  end
end
