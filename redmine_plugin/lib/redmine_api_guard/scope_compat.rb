# frozen_string_literal: true

module RedmineApiGuard
  # The one place that knows how Redmine versions narrow a user's permissions
  # to a token's scopes. Redmine 6.1 has this for OAuth (`User#oauth_scope=`,
  # scope-aware `Role#allowed_to?`, `admin?` requiring the :admin scope); on 5.0
  # and 6.0 Patches::UserScopePatch gives the same behaviour.
  module ScopeCompat
    module_function

    # Returns true when Redmine itself can narrow permissions to a scope.
    def native?
      User.method_defined?(:authorized_by_oauth?)
    end

    # Narrows `user` for this request. No scopes: every permission of the owner.
    def apply(user, scopes)
      scopes = Array(scopes).map(&:to_sym)
      return user if scopes.empty?

      if native?
        user.oauth_scope = scopes
      else
        user.api_guard_scope = scopes
      end
      user
    end

    # Returns the scope the request narrowed `user` to, or nil.
    def scope_of(user)
      scope = native? ? user.instance_variable_get(:@oauth_scope) : user.try(:api_guard_scope)
      scope&.map(&:to_sym)
    end

    # Returns true when `action` (a permission name, or a controller/action
    # hash) is covered by one of the scope's permissions, as Redmine 6.1's
    # Role#allowed_to?(action, scope) decides it.
    def covers?(scope, action)
      if action.is_a?(Hash)
        path = "#{action[:controller]}/#{action[:action]}"
        scope.any? { |permission| Redmine::AccessControl.allowed_actions(permission).include?(path) }
      else
        scope.include?(action.to_sym)
      end
    end
  end
end
