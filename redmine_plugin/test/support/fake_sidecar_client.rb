# frozen_string_literal: true

module RedmineApiGuard
  # Stand-in for RedmineApiGuard::SidecarClient in unit and functional tests:
  # same methods, no network. Records every call, answers with what the test
  # configured (protobuf messages of the wire contract), and raises the
  # SidecarError a test asked for.
  class FakeSidecarClient
    PB = RedmineApiGuardProto::V1

    Call = Struct.new(:method, :args)

    attr_reader :calls
    attr_accessor :authorize_response, :user_tokens, :list_tokens_response, :create_token_response

    def initialize
      @calls = []
      @failures = {}
      @authorize_response = deny(:DENY_REASON_UNKNOWN, 'Unknown API credential')
      @user_tokens = []
      @list_tokens_response = PB::ListTokensResponse.new(tokens: [], total_count: 0, page: 1, per_page: 25)
      @create_token_response = nil
    end

    def address
      'fake'
    end

    # Makes the next calls of method raise error (a SidecarError instance).
    def fail_with(method, error)
      @failures[method.to_sym] = error
    end

    # Answers authorize calls with an allow decision for user, with the
    # token's scopes and project ids (restricted to them, subprojects excluded).
    def allow(user, kind: :CREDENTIAL_KIND_PERSONAL_TOKEN, scopes: [], project_ids: [])
      @authorize_response = PB::AuthorizeResponse.new(
        decision: :DECISION_ALLOW, user_id: user.is_a?(Integer) ? user : user.id, token_id: 7,
        credential_kind: kind, display_prefix: 'rmp_abcd', scopes: scopes,
        projects: project_ids.map { |id| PB::ProjectRestriction.new(project_id: id) }
      )
    end

    # Answers authorize calls with a deny decision.
    def deny!(reason, message = "denied: #{reason}")
      @authorize_response = deny(reason, message)
    end

    # Arguments of the recorded calls of method, oldest first.
    def calls_to(method)
      calls.select { |call| call.method == method.to_sym }.map(&:args)
    end

    def authorize(credential:, source:, context:)
      record(:authorize, credential: credential, source: source, context: context)
      authorize_response
    end

    def create_token(user_id:, name:, expires_at:, actor:, scopes: nil, projects: [], tracker_ids: [])
      record(:create_token, user_id: user_id, name: name, expires_at: expires_at, actor: actor, scopes: scopes,
                            projects: projects, tracker_ids: tracker_ids)
      create_token_response || PB::CreateTokenResponse.new(
        token: PB::Token.new(id: 42, user_id: user_id, name: name, display_prefix: 'rmp_0042',
                             status: :TOKEN_STATUS_ACTIVE,
                             expires_at: expires_at && Google::Protobuf::Timestamp.new(seconds: expires_at.to_i)),
        plaintext: "rmp_0042#{'x' * 40}"
      )
    end

    def list_user_tokens(user_id, include_revoked: true)
      record(:list_user_tokens, user_id: user_id, include_revoked: include_revoked)
      user_tokens
    end

    def revoke_token(id, owner_id:, actor:)
      record(:revoke_token, id: id, owner_id: owner_id, actor: actor)
      PB::Token.new(id: id, status: :TOKEN_STATUS_REVOKED)
    end

    def list_tokens(user_id: 0, status: :TOKEN_STATUS_UNSPECIFIED, expiring_within_days: 0, page: 1, per_page: 25)
      record(:list_tokens, user_id: user_id, status: status, expiring_within_days: expiring_within_days,
                           page: page, per_page: per_page)
      list_tokens_response
    end

    # Tests may set the policy the fake answers (as the sidecar would read it
    # from the settings table).
    attr_writer :policy_message

    def policy(timeout: nil)
      record(:policy)
      policy_message
    end

    def invalidate_user(user_id)
      record(:invalidate_user, user_id: user_id)
      PB::InvalidateUserResponse.new(evicted: 0)
    end

    def reload_policy
      record(:reload_policy)
      policy_message
    end

    private

    def record(method, **args)
      @calls << Call.new(method, args)
      error = @failures[method]
      raise error if error
    end

    def policy_message
      @policy_message ||
        PB::Policy.new(max_lifetime_days: 365, default_lifetime_days: 90,
                       legacy_key_policy: :LEGACY_KEY_POLICY_ALLOWED)
    end

    def deny(reason, message)
      PB::AuthorizeResponse.new(decision: :DECISION_DENY, deny_reason: reason, message: message)
    end
  end
end
