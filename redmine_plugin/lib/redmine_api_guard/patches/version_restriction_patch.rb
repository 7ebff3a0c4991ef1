# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # A version's spent time sums every entry on its issues, visible or not
    # (shown by /versions/:id); under a restricted token only what it can see.
    module VersionRestrictionPatch
      def spent_hours
        return super unless RedmineApiGuard::Restriction.current

        issues = Issue.visible.where(fixed_version_id: id).select(:id)
        @spent_hours ||= TimeEntry.visible.where(issue_id: issues).sum(:hours).to_f
      end
    end
  end
end
