# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # A restricted token's user has no permission on projects outside the
    # restriction, whatever its roles.
    module UserRestrictionPatch
      # A token restricted to projects never acts as an administrator:
      # administration is not bound to projects.
      def admin?
        restriction = instance_variable_get(RedmineApiGuard::Restriction::IVAR)
        return false if restriction&.project_ids

        super
      end

      def allowed_to?(action, context, *args, **options, &block)
        restriction = instance_variable_get(RedmineApiGuard::Restriction::IVAR)
        return false if restriction && context.is_a?(Project) && !restriction.project_allowed?(context)

        super
      end
    end
  end
end
