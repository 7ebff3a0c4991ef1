# frozen_string_literal: true

module RedmineApiGuard
  # The one gRPC connection of a Redmine process to the sidecar. The channel is
  # created on first use and again after a fork (puma workers), never per
  # request. Every failure surfaces as a RedmineApiGuard::SidecarError.
  class SidecarClient
    @lock = Mutex.new

    class << self
      # Test hook: a stand-in used instead of the real client (nil restores it).
      attr_accessor :override

      def current
        return override if override

        address, timeout = Settings.sidecar_endpoint
        @lock.synchronize do
          if @client.nil? || @pid != Process.pid || @client.address != address || @client.timeout != timeout
            @client&.close if @pid == Process.pid
            @client = new(address, timeout)
            @pid = Process.pid
          end
          @client
        end
      end
    end

    # Reconnect quickly after a sidecar restart (gRPC's default backoff grows
    # to two minutes, during which every API request would answer 503).
    CHANNEL_ARGS = {
      'grpc.initial_reconnect_backoff_ms' => 100,
      'grpc.min_reconnect_backoff_ms' => 100,
      'grpc.max_reconnect_backoff_ms' => 1000
    }.freeze

    attr_reader :address, :timeout

    def initialize(address, timeout = Settings.sidecar_timeout)
      self.class.load_stubs
      @address = address
      @timeout = timeout
      @channel = GRPC::Core::Channel.new(address, CHANNEL_ARGS, :this_channel_is_insecure)
      @tokens = pb::TokenService::Stub.new(address, nil, channel_override: @channel)
      @auth = pb::AuthorizationService::Stub.new(address, nil, channel_override: @channel)
    end

    # Drops the process-wide client if it is `client`, so that the next call
    # opens a fresh channel instead of waiting out the old one's backoff.
    def self.discard(client)
      dropped = @lock.synchronize { @client.equal?(client) && (@client = nil).nil? }
      client.close if dropped
    end

    def close
      @channel.close
    rescue StandardError => e
      Rails.logger.debug("[redmine_api_guard] closing a gRPC channel: #{e.message}")
    end

    def self.load_stubs
      require 'grpc'
      require 'redmine/apiguard/v1/api_guard_services_pb'
    end

    # Header bytes reach Rails as binary; protobuf strings must be UTF-8, so
    # invalid bytes are replaced (the sidecar then refuses a malformed key).
    # Values are cut to a bound (the sidecar refuses credentials over 256
    # characters as malformed), so a huge parameter is a 401, not a 503.
    def authorize(credential:, source:, context:)
      context = context.transform_values { |v| v.is_a?(String) ? utf8(v, 2048) : v }
      context[:required_permissions] = Array(context[:required_permissions])
      context[:project_ancestor_ids] = Array(context[:project_ancestor_ids])
      call(@auth, :authorize, pb::AuthorizeRequest.new(
        credential: utf8(credential, 1024), source: source, context: pb::RequestContext.new(**context)
      ))
    end

    # projects: [[project_id, include_subprojects], ...]
    def create_token(user_id:, name:, expires_at:, actor:, scopes: nil, projects: [], tracker_ids: [])
      call(@tokens, :create_token, pb::CreateTokenRequest.new(
        user_id: user_id, name: utf8(name, 1024), expires_at: timestamp(expires_at), actor: actor_message(actor),
        scopes: Array(scopes).map(&:to_s), tracker_ids: tracker_ids.map(&:to_i),
        projects: projects.map { |id, sub| pb::ProjectRestriction.new(project_id: id.to_i, include_subprojects: sub) }
      ))
    end

    def list_user_tokens(user_id, include_revoked: true)
      call(@tokens, :list_user_tokens,
           pb::ListUserTokensRequest.new(user_id: user_id, include_revoked: include_revoked)).tokens
    end

    def revoke_token(id, owner_id:, actor:)
      call(@tokens, :revoke_token,
           pb::RevokeTokenRequest.new(id: id, owner_id: owner_id.to_i, actor: actor_message(actor)))
    end

    def list_tokens(user_id: 0, status: :TOKEN_STATUS_UNSPECIFIED, expiring_within_days: 0, page: 1, per_page: 25)
      call(@tokens, :list_tokens, pb::ListTokensRequest.new(
        user_id: user_id, status: status, expiring_within_days: expiring_within_days,
        page: page, per_page: per_page
      ))
    end

    # timeout: seconds, when the caller cannot wait the configured deadline.
    def policy(timeout: nil)
      call(@tokens, :get_policy, pb::GetPolicyRequest.new, timeout: timeout)
    end

    def invalidate_user(user_id)
      call(@auth, :invalidate_user, pb::InvalidateUserRequest.new(user_id: user_id))
    end

    def reload_policy
      call(@auth, :reload_policy, pb::ReloadPolicyRequest.new)
    end

    private

    def pb
      RedmineApiGuardProto::V1
    end

    def call(stub, method, request, timeout: nil)
      stub.public_send(method, request, deadline: Time.now + (timeout || @timeout))
    rescue GRPC::BadStatus, GRPC::Core::CallError => e
      # Only a refused connection, not a slow answer, warrants a new channel.
      self.class.discard(self) if e.is_a?(GRPC::Unavailable)
      raise SidecarError.from(e)
    end

    def utf8(value, limit)
      value.to_s.byteslice(0, limit).force_encoding(Encoding::UTF_8).scrub('?')
    end

    def timestamp(time)
      return nil if time.nil?

      Google::Protobuf::Timestamp.new(seconds: time.to_i, nanos: 0)
    end

    def actor_message(actor)
      return nil if actor.nil?

      pb::Actor.new(user_id: actor[:user_id].to_i, remote_ip: actor[:remote_ip].to_s,
                    request_id: actor[:request_id].to_s)
    end
  end
end
