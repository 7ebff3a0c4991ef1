# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Closing, reopening and deleting a project apply to its subprojects and
    # to the issues of every tracker: refused to a token restricted to fewer.
    # Deleting also takes issues' subtasks, parents and relations, and the
    # project's versions, wherever they are. A project's settings (trackers,
    # modules, custom fields...) reach the issues of every tracker: refused to
    # a tracker restriction; a project restriction cannot make its project a
    # top-level one (it could not move it back), nor move it or change its
    # member inheritance while subprojects outside it follow.
    module ProjectsControllerPatch
      def close
        api_guard_refuse_beyond { |restriction| @project && restriction.beyond_project?(@project) } || super
      end

      def reopen
        api_guard_refuse_beyond { |restriction| @project && restriction.beyond_project?(@project) } || super
      end

      def destroy
        api_guard_refuse_beyond { |restriction| @project && restriction.beyond_project_deletion?(@project) } || super
      end

      def update
        api_guard_refuse_beyond { |restriction| @project && api_guard_settings_reach_beyond?(restriction) } || super
      end

      private

      # What a tracker-restricted token may change on a project: its texts
      # and custom field values, which reach no issue.
      API_GUARD_TRACKER_SAFE = %w[name description homepage custom_field_values custom_fields].freeze
      # Changes that cascade to subprojects: inherited members, shared versions.
      API_GUARD_TREE = %w[parent_id inherit_members].freeze

      def api_guard_settings_reach_beyond?(restriction)
        attributes = params[:project]
        return false unless attributes.respond_to?(:keys)

        keys = attributes.keys.map(&:to_s)
        to_top = restriction.project_ids && keys.include?('parent_id') && attributes[:parent_id].blank? &&
                 @project.parent_id
        to_top || (restriction.tracker_ids && (keys - API_GUARD_TRACKER_SAFE).any?) ||
          ((keys & API_GUARD_TREE).any? && restriction.outside_subprojects(@project).exists?)
      end
    end
  end
end
