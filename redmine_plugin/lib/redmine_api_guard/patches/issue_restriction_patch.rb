# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Issue listings and single issues, narrowed to a restricted token's trackers.
    module IssueRestrictionPatch
      module ClassMethods
        def visible_condition(user, options = {})
          restriction = RedmineApiGuard::Restriction.current
          condition = super
          return condition unless restriction && user == User.current

          RedmineApiGuard::Restriction.narrow(condition, "#{Issue.table_name}.tracker_id", restriction.tracker_ids)
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
