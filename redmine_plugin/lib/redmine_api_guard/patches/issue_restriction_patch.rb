# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Issues under a token restricted to trackers: listings and single issues
    # show only those trackers, and issues are created or moved only into them.
    module IssueRestrictionPatch
      module ClassMethods
        def visible_condition(user, options = {})
          RedmineApiGuard::Restriction.narrow_for(user, super) do |restriction|
            RedmineApiGuard::Restriction.in_list("#{Issue.table_name}.tracker_id", restriction.tracker_ids)
          end
        end

        # Redmine's per-role tracker permissions end here: the trackers a new
        # issue may get, or an issue may be changed to (also the default tracker).
        def allowed_target_trackers(project, user = User.current, current_tracker = nil)
          scope = super
          restriction = RedmineApiGuard::Restriction.current
          return scope unless restriction&.tracker_ids && user == User.current

          scope.where(id: restriction.tracker_ids)
        end
      end

      def visible?(usr = nil)
        restriction = RedmineApiGuard::Restriction.current
        return false if restriction && (usr.nil? || usr == User.current) && !restriction.tracker_allowed?(tracker_id)

        super
      end

      # Redmine ignores a tracker_id outside the allowed trackers and keeps
      # the default one; for a restricted token that is an error, not a
      # silent change of what the client asked for.
      def safe_attributes=(attrs, user = User.current)
        restriction = RedmineApiGuard::Restriction.current
        if restriction&.tracker_ids && user == User.current && attrs.respond_to?(:key?)
          requested = attrs['tracker_id'] || attrs[:tracker_id]
          @api_guard_refused_tracker = requested.present? && !restriction.tracker_allowed?(requested.to_s.to_i)
        end
        super
      end

      # Also catches the tracker Redmine picks itself when an issue moves to a
      # project without its tracker (Issue#project= takes the first one).
      # Public, as in core.
      def validate_issue
        super
        restriction = RedmineApiGuard::Restriction.current
        return unless restriction&.tracker_ids

        refused = @api_guard_refused_tracker || (tracker_id_changed? && !restriction.tracker_allowed?(tracker_id))
        errors.add :tracker_id, :inclusion if refused
      end
    end
  end
end
