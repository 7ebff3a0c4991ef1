# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Redmine 5.0 and 6.0 only (6.1 has oauth_scope): a scoped user is allowed
    # an action only when a scope covers it, and acts as an admin only with the
    # :admin scope. Mirrors Redmine 6.1's rules, so behaviour is the same on all.
    module UserScopePatch
      attr_reader :api_guard_scope

      def api_guard_scope=(scope)
        @api_guard_scope = scope&.map(&:to_sym)
      end

      def admin?
        return false if @api_guard_scope && !@api_guard_scope.include?(:admin)

        super
      end

      def allowed_to?(action, context, *args, **options, &block)
        return super if @api_guard_scope.nil? || admin?
        return false unless RedmineApiGuard::ScopeCompat.covers?(@api_guard_scope, action)

        super
      end
    end
  end
end
