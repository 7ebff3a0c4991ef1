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

      # The time of a subtree counts only the issues the token can see (the
      # issue's own time is visible with it).
      def total_spent_hours
        return super unless RedmineApiGuard::Restriction.current && !leaf?

        @total_spent_hours ||=
          TimeEntry.visible.where(issue_id: self_and_descendants.visible.select(:id)).sum(:hours).to_f
      end

      # Redmine ignores a tracker_id or project_id outside the allowed ones
      # and keeps the current value; for a restricted token that is an error,
      # not a silent change of what the client asked for.
      def safe_attributes=(attrs, user = User.current)
        restriction = RedmineApiGuard::Restriction.current
        if restriction && user == User.current && attrs.respond_to?(:key?)
          @api_guard_refused = api_guard_refused_attributes(restriction, attrs)
        end
        super
      end

      # Also catches the tracker Redmine picks itself when an issue moves to a
      # project without its tracker (Issue#project= takes the first one).
      # Public, as in core.
      def validate_issue
        super
        restriction = RedmineApiGuard::Restriction.current
        return unless restriction

        refused = Array(@api_guard_refused)
        refused |= [:tracker_id] if restriction.tracker_ids && tracker_id_changed? &&
                                    !restriction.tracker_allowed?(tracker_id)
        refused.each { |attribute| errors.add attribute, :inclusion }
        errors.add :base, l(:error_api_guard_beyond_restriction) if api_guard_reaches_hidden?
      end

      private

      # Parent attributes Redmine derives from subtasks, by the setting that
      # makes them derived.
      API_GUARD_DERIVED = {
        'parent_issue_dates' => %w[start_date due_date],
        'parent_issue_priority' => %w[priority_id status_id],
        'parent_issue_done_ratio' => %w[done_ratio status_id estimated_hours]
      }.freeze

      # The change reaches issues the token cannot see: the issue itself saved
      # by a cascade from a visible one (rescheduling), subtasks moved along
      # to another project or parent, duplicates closed along, parents (old and new) whose derived values follow
      # or whose tree changes, or issues rescheduled after this one.
      def api_guard_reaches_hidden?
        hidden = RedmineApiGuard::Restriction.method(:hidden?)
        return true if persisted? && hidden.call(Issue.where(id: id))
        return true if persisted? && (project_id_changed? || api_guard_parent_changed?) && hidden.call(descendants)
        # Closing an issue closes its duplicates (core skips their validations).
        return true if closing? && Setting.close_duplicate_issues? && api_guard_hidden_duplicates?
        return true if api_guard_changes_parents? && api_guard_hidden_parents?
        return false unless persisted? && (start_date_changed? || due_date_changed?)

        RedmineApiGuard::Restriction.hidden_followers?(self_and_descendants.pluck(:id))
      end

      # A new subtask, a new parent, or a change of what a parent derives.
      def api_guard_changes_parents?
        return true if new_record? || api_guard_parent_changed?

        API_GUARD_DERIVED.any? do |setting, attributes|
          Setting.send(setting) == 'derived' && attributes.any? { |a| attribute_changed?(a) }
        end
      end

      def api_guard_parent_changed?
        parent_issue_id != parent_id_in_database
      end

      # Parent_issue_id is the parent asked for (Redmine moves the issue when
      # it saves); parent_id_in_database the one it leaves. A parent whose
      # dates follow reschedules the issues that follow it, too.
      def api_guard_hidden_parents?
        parents = Issue.where(id: [parent_issue_id, parent_id_in_database].compact.uniq)
        ids = parents.flat_map { |parent| parent.self_and_ancestors.pluck(:id) }
        return false if ids.empty?

        return true if RedmineApiGuard::Restriction.hidden?(Issue.where(id: ids))

        Setting.parent_issue_dates == 'derived' && RedmineApiGuard::Restriction.hidden_followers?(ids)
      end

      # Core closes the open duplicates of a closing issue, and theirs in
      # turn, without validations (bounded: past the limit, true).
      def api_guard_hidden_duplicates?
        seen = [id]
        frontier = [id]
        until frontier.empty?
          found = IssueRelation.where(relation_type: IssueRelation::TYPE_DUPLICATES, issue_to_id: frontier)
                               .pluck(:issue_from_id) - seen
          open = Issue.where(id: found).joins(:status).where(IssueStatus.table_name => { is_closed: false })
          frontier = open.pluck(:id)
          seen.concat(frontier)
          return true if seen.size > RedmineApiGuard::Restriction::FOLLOWERS_LIMIT
          return true if RedmineApiGuard::Restriction.hidden?(Issue.where(id: frontier))
        end
        false
      end

      def api_guard_refused_attributes(restriction, attrs)
        tracker = attrs['tracker_id'] || attrs[:tracker_id]
        project = attrs['project_id'] || attrs[:project_id]
        refused = []
        refused << :tracker_id if tracker.present? && !restriction.tracker_allowed?(tracker.to_s.to_i)
        if (project.is_a?(String) || project.is_a?(Integer)) && project.present? && restriction.project_ids
          # Resolved exactly as Issue#safe_attributes= does ("2\n" is id 2).
          identifier = project.is_a?(String) && !/^\d*$/.match?(project)
          id = identifier ? Project.find_by_identifier(project)&.id : project.to_i
          refused << :project_id if id && !restriction.project_ids.include?(id)
        end
        refused
      end
    end
  end
end
