# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Project.allowed_to_condition is where Redmine builds the project part of
    # every cross-project listing (issues, time entries, news, versions,
    # search, projects themselves): narrowed here to a token's scopes and projects.
    module ProjectRestrictionPatch
      def allowed_to_condition(user, permission, options = {}, &block)
        # Listings (search above all) build their conditions here, not through
        # allowed_to?: a scoped token lists nothing of a permission it lacks.
        scope = user == User.current && RedmineApiGuard::ScopeCompat.scope_of(user)
        return '1=0' if scope && !scope.include?(permission.to_sym)

        RedmineApiGuard::Restriction.narrow_for(user, super) do |restriction|
          RedmineApiGuard::Restriction.in_list("#{Project.table_name}.id", restriction.project_ids)
        end
      end
    end
  end
end
