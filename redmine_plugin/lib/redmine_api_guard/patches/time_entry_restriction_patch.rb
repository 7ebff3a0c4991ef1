# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Time entries logged on issues of trackers a restricted token cannot see
    # are not shown to it (entries on no issue stay visible).
    module TimeEntryRestrictionPatch
      module ClassMethods
        def visible_condition(user, options = {})
          RedmineApiGuard::Restriction.narrow_for(user, super, &:time_entries_condition)
        end
      end

      # Redmine checks the project of a new time entry (log_time there), not
      # the one an update moves it to: a restricted token moves none out.
      def validate_time_entry
        super
        restriction = RedmineApiGuard::Restriction.current
        return unless restriction&.project_ids && project_id_changed?

        errors.add :project_id, :invalid unless restriction.project_ids.include?(project_id)
      end

      def visible?(user = nil)
        restriction = RedmineApiGuard::Restriction.current
        if restriction&.tracker_ids && (user.nil? || user == User.current) && issue
          return false unless restriction.tracker_allowed?(issue.tracker_id)
        end

        super
      end
    end
  end
end
