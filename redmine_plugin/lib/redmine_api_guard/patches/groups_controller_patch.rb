# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # A group's page lists all of its memberships (include=memberships), in
    # every project. Under a restricted token it lists those of the projects
    # the token can see, as a user's page already does.
    module GroupsControllerPatch
      def show
        if RedmineApiGuard::Restriction.current && @group
          narrowed = @group.memberships.joins(:project).where(Project.visible_condition(User.current))
          @group.define_singleton_method(:memberships) { narrowed }
        end
        super
      end
    end
  end
end
