# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Puts the sidecar in front of every API credential. A request that carries
    # one is served as the credential's owner or refused (401/403/429, or 503
    # when the sidecar cannot answer); it never falls through to anonymous.
    # Requests without a credential take core's path unchanged.
    module ApplicationControllerPatch
      API_GUARD_NON_PAGE_FORMATS = %i[json xml csv pdf atom].freeze
      API_GUARD_RECORDS = {'issues' => :issue, 'timelog' => :time_entry}.freeze

      def find_current_user
        credential = api_guard_credential
        unless credential
          user = super
          return user if user || performed?

          if api_guard_basic_login? then api_guard_refuse_failed_basic_login
          elsif api_guard_ignored_credential? then api_guard_refuse_ignored_credential
          end
          return user
        end

        user = api_guard_authenticate(credential)
        return nil if performed? || api_guard_refuse_project_list || api_guard_refuse_list_values ||
                      api_guard_refuse_web_page || api_guard_refuse_top_level_project
        return nil if user && api_guard_refuse_stale_admin_scope(user)

        # Restricted before the switch: a token restricted to projects is no
        # admin, so it cannot switch user.
        @api_guard_restriction&.apply(user)
        switched = api_guard_switch_user(user)
        return nil unless switched

        # A switched-to user acts under the same token: its scopes, its
        # restriction, and the request still came with that credential.
        # (A switch to oneself is a fresh object too: compared by identity.)
        unless switched.equal?(user)
          RedmineApiGuard::ScopeCompat.apply(switched, @api_guard_scopes)
          @api_guard_restriction&.apply(switched)
        end
        return nil if performed? || api_guard_refuse_own_account(switched)

        RedmineApiGuard::RequestCredential.mark(switched, @api_guard_credential_kind)
        switched.remote_ip = request.remote_ip
        switched
      end

      # A file download refused to a restricted token answers the status
      # alone: Redmine's error page would name the file's project in its header.
      def render_error(arg)
        return super unless @api_guard_restriction && api_guard_file_download?

        head(arg.is_a?(Hash) && arg[:status] ? arg[:status] : 500)
      end

      private

      # An API request that sent HTTP Basic credentials meant to be someone:
      # when core's password login fails it is refused, not served as anonymous.
      def api_guard_basic_login?
        Setting.rest_api_enabled? && accept_api_auth? && api_request? &&
          request.authorization.to_s.match?(/\ABasic(\s|\z)/i)
      end

      def api_guard_refuse_failed_basic_login
        logger&.debug('[redmine_api_guard] denied reason=basic_login_failed')
        response.headers['WWW-Authenticate'] = 'Basic realm="Redmine API"'
        api_guard_render(401, l(:notice_account_invalid_credentials))
      end

      # An API credential sent in a header, or a personal token as `key`, to
      # an action that takes none: core would serve the request as anonymous.
      # (Other `key` values belong to core: Atom keys, and the keys of the
      # repository and mail handler web services.)
      def api_guard_ignored_credential?
        return false unless Setting.rest_api_enabled? && !accept_api_auth?
        return params[:key].to_s.start_with?(RedmineApiGuard::Credential::TOKEN_PREFIX) if params.key?(:key)

        RedmineApiGuard::Credential.from_request(request, params).present?
      end

      def api_guard_refuse_ignored_credential
        logger&.debug('[redmine_api_guard] denied reason=credential_not_accepted')
        api_guard_render(401, 'this page does not accept API credentials')
      end

      def api_guard_credential
        return unless Setting.rest_api_enabled? && accept_api_auth?
        # A live web session or an Atom feed key is core's business, as before.
        return if !api_request? && (api_guard_session_user? || api_guard_atom_key?)

        RedmineApiGuard::Credential.from_request(request, params)
      end

      # Only an active session user makes core ignore the key; for a stale
      # session core would fall back to its own API key lookup.
      def api_guard_session_user?
        session[:user_id].present? && User.active.exists?(session[:user_id])
      end

      def api_guard_atom_key?
        params[:format] == 'atom' && params[:key].is_a?(String) && request.get? && accept_atom_auth? &&
          User.find_by_atom_key(params[:key]).present?
      end

      def api_guard_authenticate(credential)
        answer = api_guard_ask_sidecar(credential)
        return api_guard_deny(answer) unless answer.decision == :DECISION_ALLOW

        user = User.active.find_by(id: answer.user_id)
        return api_guard_render(401, l(:error_api_guard_owner_locked)) unless user

        @api_guard_credential_kind = answer.credential_kind
        @api_guard_restriction = RedmineApiGuard::Restriction.from_answer(answer)
        @api_guard_scopes = answer.scopes.to_a
        RedmineApiGuard::ScopeCompat.apply(user, @api_guard_scopes)
        if credential.basic? && user.must_change_password?
          return api_guard_render(403, 'You must change your password')
        end

        user
      rescue RedmineApiGuard::SidecarError => e
        api_guard_unavailable(e)
      end

      # The part of the request path the plugin adds (user loading replaces
      # core's own lookup); instrumented for `make bench`.
      def api_guard_ask_sidecar(credential)
        ActiveSupport::Notifications.instrument('authorize.redmine_api_guard') do
          RedmineApiGuard::SidecarClient.current.authorize(
            credential: credential.value, source: credential.source, context: api_guard_context
          )
        end
      end

      def api_guard_context
        {
          method: request.request_method, path: request.path, controller: controller_name,
          action: action_name, project_identifier: params[:project_id].is_a?(String) ? params[:project_id] : '',
          remote_ip: request.remote_ip.to_s, user_agent: request.user_agent.to_s.first(512),
          request_id: request.request_id.to_s, format: params[:format].to_s,
          required_permissions: (@api_guard_required = RedmineApiGuard::ScopeCatalog.required_for(
            controller_path, action_name, request.request_method, params
          )),
          **api_guard_project_context
        }
      end

      # The project the request names, for the sidecar's project restriction.
      def api_guard_project_context
        id = api_guard_project_param
        return {} unless id.is_a?(String) && id.present?

        # Resolved exactly as Redmine's own find_project will (Project.find
        # takes "4\n" as id 4), so the check applies to the project acted on.
        project = Project.find(id)

        ancestors = project.parent_id ? project.ancestors.pluck(:id) : []
        { project_id: project.id, project_ancestor_ids: ancestors }
      rescue ActiveRecord::RecordNotFound
        {}
      end

      # The gate could not see that /users/<id> names the requester: checked
      # here, with the gate's wording. (The sidecar has counted the request as
      # a use of the token already.) Returns true when it refused.
      def api_guard_refuse_own_account(user)
        scope = RedmineApiGuard::ScopeCompat.scope_of(user)
        return false unless scope

        needed = RedmineApiGuard::ScopeCatalog.own_account_scopes(
          controller_path, action_name, request.request_method, params, user
        )
        return false if needed.empty? || needed.any? { |name| scope.include?(name.to_sym) }

        logger&.debug("[redmine_api_guard] denied reason=own_account_scope user=#{user.id}")
        api_guard_render(403, "this API token's scopes do not allow #{controller_path}/#{action_name} " \
                              "(needs one of: #{needed.join(', ')})")
        true
      end

      # A JSON body may give the project as a number. A new project names its
      # parent, if any.
      def api_guard_project_param
        value =
          if api_guard_creates_project? then api_guard_new_project_parent
          elsif controller_name == 'projects' then params[:id]
          elsif params.key?(:project_id) then params[:project_id]
          else api_guard_record_project
          end
        value.is_a?(Integer) ? value.to_s : value
      end

      # Creating or moving an issue or a time entry names its project in the
      # record (issue[project_id]) when the path does not. (The models check
      # the project they end up in as well: Issue and TimeEntry patches.)
      def api_guard_record_project
        record = API_GUARD_RECORDS[controller_name] && params[API_GUARD_RECORDS[controller_name]]
        record[:project_id] if record.is_a?(ActionController::Parameters)
      end

      def api_guard_creates_project?
        controller_name == 'projects' && action_name == 'create'
      end

      def api_guard_new_project_parent
        project = params[:project]
        project[:parent_id] if project.is_a?(ActionController::Parameters)
      end

      # A token restricted to projects creates projects only inside them.
      def api_guard_refuse_top_level_project
        return false unless @api_guard_restriction&.project_ids && api_guard_creates_project?
        return false if api_guard_new_project_parent.present?

        api_guard_refuse_other_project
        true
      end

      # A project given as a list or a hash (project_id[]=2) names no single
      # project the gate could check, and Redmine would answer 500: a 400.
      def api_guard_refuse_project_list
        value = api_guard_project_param
        return false if value.nil? || value.is_a?(String)

        name = if api_guard_creates_project? then 'parent_id'
               elsif controller_name == 'projects' then 'id'
               else 'project_id'
               end
        api_guard_render(400, "#{name} must be one project id or identifier")
        true
      end

      # Query parameters core reads as one value (and answers 500 when given
      # a list or a hash: limit[]=5, q[]=a).
      API_GUARD_SCALARS = %w[limit offset page per_page q from to version sort].freeze

      def api_guard_refuse_list_values
        query = request.query_parameters
        name = API_GUARD_SCALARS.find { |key| query[key].is_a?(Array) || query[key].is_a?(Hash) }
        return false unless name

        api_guard_render(400, "#{name} must be a single value")
        true
      end

      # The admin scope lets the gate pass changes no permission covers; it was
      # granted to an administrator, and is worth nothing once the owner is
      # one no more (role checks would then decide those changes).
      def api_guard_refuse_stale_admin_scope(user)
        return false if user.admin? || @api_guard_required.nil? || @api_guard_required.any?
        return false if %w[GET HEAD].include?(request.request_method)
        return false unless @api_guard_scopes&.include?(RedmineApiGuard::ScopeCatalog::ADMIN)

        api_guard_render(403, "no scope covers #{controller_path}/#{action_name}: " \
                              "the admin scope of this token is void, its owner is no administrator")
        true
      end

      # Web pages show more than their listing (the project menu and jump box
      # list every project of the user): a restricted token gets the API
      # formats and exports only.
      def api_guard_refuse_web_page
        return false unless @api_guard_restriction && api_guard_web_page?

        api_guard_render(403, l(:error_api_guard_restricted_web_page))
        true
      end

      # Anything but the API formats, exports and file downloads is a page,
      # decided on the format Rails resolved (.xhtml is HTML; Accept: */* gets
      # the page too). A download serves the file alone, after Redmine's own
      # visibility check of its container.
      def api_guard_web_page?
        return false if api_request? || api_guard_file_download?

        !API_GUARD_NON_PAGE_FORMATS.include?(request.format&.symbol)
      end

      def api_guard_file_download?
        controller_name == 'attachments' && %w[download thumbnail].include?(action_name)
      end

      def api_guard_deny(answer)
        # The sidecar logs denials once; here only at debug, so a flood of
        # garbage credentials cannot flood Redmine's log.
        logger&.debug(
          "[redmine_api_guard] denied reason=#{answer.deny_reason} token=#{answer.display_prefix.presence || '-'}"
        )
        response.headers['Retry-After'] = answer.retry_after_seconds.to_s if answer.retry_after_seconds.positive?
        api_guard_render(RedmineApiGuard::Denial.http_status(answer.deny_reason), answer.message)
      end

      # Fail closed: without a sidecar answer no credential can be checked.
      def api_guard_unavailable(error)
        logger&.error("[redmine_api_guard] sidecar call failed: #{error.class.name}: #{error.message}")
        response.headers['Retry-After'] = '5'
        api_guard_render(503, l(:error_api_guard_unavailable))
      end

      # Refuses a change that reaches beyond the current token's restriction
      # when the block, given the restriction, says it does (not called
      # without one). True when it refused: `api_guard_refuse_beyond { } || super`.
      def api_guard_refuse_beyond
        restriction = RedmineApiGuard::Restriction.current
        return false unless restriction && yield(restriction)

        api_guard_render(403, l(:error_api_guard_beyond_restriction))
        true
      end

      # The gate's answer for a project outside the restriction, also given
      # where only Redmine can tell the project.
      def api_guard_refuse_other_project
        api_guard_render(403, 'this API token is restricted to other projects')
      end

      def api_guard_render(status, message)
        if api_request?
          @error_messages = [message]
          render template: 'common/error_messages', format: [:api], status: status, layout: nil,
                 content_type: params[:format] == 'xml' ? 'application/xml' : 'application/json'
        else
          render_error message: message, status: status
        end
        nil
      end

      # Core's X-Redmine-Switch-User, for admins only.
      def api_guard_switch_user(user)
        username = user&.admin? && api_switch_user_from_request
        return user unless username

        switched = User.find_by_login(username)
        if switched&.active?
          logger&.info("  User switched by: #{user.login} (id=#{user.id})")
          return switched
        end
        api_guard_render(412, 'Invalid X-Redmine-Switch-User header')
        user
      end
    end
  end
end
