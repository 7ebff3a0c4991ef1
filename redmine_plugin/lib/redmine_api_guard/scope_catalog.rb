# frozen_string_literal: true

module RedmineApiGuard
  # The scopes a token can carry, read at run time from Redmine's permission
  # registry (plugins' permissions included), plus the scopes Redmine has no
  # permission for: `admin` and the account scopes of login-only endpoints.
  module ScopeCatalog
    ADMIN = 'admin'
    # Login-only endpoints (no permission guards them): one scope to read and
    # one to change one's own account.
    ACCOUNT_SCOPES = {
      'view_own_account' => [%w[my account GET], %w[users show GET current]],
      'edit_own_account' => [%w[my account PUT], %w[my account PATCH], %w[my account POST]]
    }.freeze
    PRESETS = %w[all read_only time_tracking custom].freeze
    READING = /\A(view|browse|search|export)_/.freeze

    module_function

    # Every scope name: Redmine permissions, account scopes, admin.
    def all
      Redmine::AccessControl.permissions.map { |p| p.name.to_s } + ACCOUNT_SCOPES.keys + [ADMIN]
    end

    # Scopes users may grant: all, or the administrator's selection.
    def grantable
      chosen = Array(Settings.values['grantable_scopes']).map(&:to_s).reject(&:blank?)
      chosen.empty? ? all : all & chosen
    end

    # The scopes `user` can hold: `admin` only for administrators.
    def all_for(user)
      user.admin? ? all : all - [ADMIN]
    end

    def grantable_for(user)
      grantable & all_for(user)
    end

    # Returns the scopes of a preset; nil for "all my permissions".
    def preset(name)
      case name.to_s
      when 'read_only'
        # Redmine's read? means "still allowed in a closed project" (it marks
        # close_project and delete_project too): keep only reading permissions.
        Redmine::AccessControl.permissions.select { |p| p.read? && READING.match?(p.name.to_s) }
                              .map { |p| p.name.to_s } + ['view_own_account']
      when 'time_tracking'
        # Logging time on an issue needs seeing it: Redmine validates the issue's visibility.
        %w[view_time_entries log_time view_project view_issues view_own_account]
      end
    end

    # Returns the scopes that could allow the request: the permissions whose
    # actions include controller/action, or an account scope for login-only
    # endpoints. Empty: nothing beyond a login is needed. (Administration
    # needs no entry here: without the admin scope `admin?` is false for the
    # request, so Redmine's own require_admin refuses it.)
    def required_for(controller_path, action_name, method, params)
      permission_scopes(controller_path, action_name) + account_scopes(controller_path, action_name, method, params)
    end

    def permission_scopes(controller_path, action_name)
      path = "#{controller_path}/#{action_name}"
      @permission_scopes ||= {}
      @permission_scopes[path] ||=
        Redmine::AccessControl.permissions.select { |p| p.actions.include?(path) }.map { |p| p.name.to_s }.freeze
    end

    def account_scopes(controller_path, action_name, method, params)
      ACCOUNT_SCOPES.select do |_scope, endpoints|
        endpoints.any? do |c, a, m, id|
          c == controller_path && a == action_name && m == method && (id.nil? || params[:id].to_s == id)
        end
      end.keys
    end

    # Returns the account scopes /users/<id> needs when <id> is the requester's
    # own: the same as /users/current (the sidecar cannot tell, it sees no user
    # before it answers).
    def own_account_scopes(controller_path, action_name, method, params, user)
      # Resolved as User.find does ("2abc" is 2); "current" is 0, no user's id.
      return [] unless params[:id].to_s.to_i == user.id

      account_scopes(controller_path, action_name, method, { id: 'current' })
    end

    # The reverse map: for each scope, the controller/action pairs it unlocks.
    def endpoints_by_scope
      map = Redmine::AccessControl.permissions.to_h { |p| [p.name.to_s, p.actions.select { |a| endpoint?(a) }.sort] }
      ACCOUNT_SCOPES.each { |scope, endpoints| map[scope] = endpoints.map { |c, a, m, id| "#{m} #{c}/#{a}#{" (#{id})" if id}" } }
      map[ADMIN] = ['every action that requires an administrator (users, groups, roles, settings, ...)',
                    'changes to the endpoints no permission covers (listed as uncovered)']
      map
    end

    # API actions (accept_api_auth) that no scope covers: any token may call
    # them once logged in. Shown to administrators next to the reverse map.
    # An account scope that covers one id of an action (users/show for
    # "current") leaves the action uncovered for every other id.
    def uncovered_endpoints
      covered = endpoints_by_scope.values.flatten.to_set
      account = ACCOUNT_SCOPES.values.flatten(1)
      ApplicationController.descendants.flat_map do |controller|
        controller.accept_api_auth.map { |action| "#{controller.controller_path}/#{action}" }
      end.uniq.sort.filter_map do |path|
        next if covered.include?(path)

        ids = account.select { |c, a| "#{c}/#{a}" == path }.map { |*, id| id }
        if ids.empty? then path
        elsif ids.all? then "#{path} (other than #{ids.uniq.join(', ')})"
        end
      end
    end

    # Permissions may carry options among their actions (log_time_for_other_users
    # declares `require: :member` where actions go): only controller/action
    # pairs of existing controllers are endpoints.
    def endpoint?(path)
      controller = path.to_s.split('/')[0..-2].join('/')
      controller.present? && "#{controller.camelize}Controller".safe_constantize.is_a?(Class)
    end
  end
end
