# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Project.allowed_to_condition is where Redmine builds the project part of
    # every cross-project listing (issues, time entries, news, versions,
    # search, projects themselves): narrowed here to a restricted token's projects.
    module ProjectRestrictionPatch
      def allowed_to_condition(user, permission, options = {}, &block)
        RedmineApiGuard::Restriction.narrow_for(user, super, "#{Project.table_name}.id", &:project_ids)
      end
    end
  end
end
