# frozen_string_literal: true

module RedmineApiGuard
  # An API credential found in a request, and where it was found. Sources are
  # read in core's order (key parameter, then header), then Bearer, then HTTP
  # Basic. A present but empty header or parameter is still a credential: it
  # must be refused, not ignored into anonymous access.
  class Credential
    TOKEN_PREFIX = 'rmp_'
    LEGACY_KEY = /\A\h{40}\z/n.freeze

    attr_reader :value, :source

    def initialize(value, source)
      @value = value.to_s
      @source = source
    end

    # Returns the request's credential, or nil when it carries none (then core
    # goes on with session, password login or anonymous access).
    def self.from_request(request, params)
      if params.key?(:key)
        new(params[:key].is_a?(String) ? params[:key] : '', :CREDENTIAL_SOURCE_QUERY)
      elsif (header = request.headers['X-Redmine-API-Key'])
        new(header, :CREDENTIAL_SOURCE_HEADER)
      else
        from_authorization(request.authorization.to_s)
      end
    end

    # Bearer: our own tokens. Basic: a token or a legacy key as user name; any other user name
    # is a password login, which core handles.
    def self.from_authorization(header)
      scheme, payload = header.split(' ', 2)
      case scheme.to_s.downcase
      when 'bearer'
        token = payload.to_s.strip
        # Other Bearer tokens are OAuth tokens where Redmine has OAuth (6.1);
        # elsewhere they are refused here instead of being ignored.
        new(token, :CREDENTIAL_SOURCE_BEARER) if token.start_with?(TOKEN_PREFIX) || !ScopeCompat.native?
      when 'basic'
        username = basic_username(payload)
        new(username, :CREDENTIAL_SOURCE_BASIC) if username && key_shaped?(username)
      end
    end

    # Works on bytes: a user name need not be valid UTF-8 (the sidecar client
    # scrubs what it sends).
    def self.basic_username(payload)
      Base64.decode64(payload.to_s).b.split(':'.b, 2).first.to_s
    end

    def self.key_shaped?(username)
      username.start_with?(TOKEN_PREFIX.b) || LEGACY_KEY.match?(username)
    end

    def basic?
      source == :CREDENTIAL_SOURCE_BASIC
    end
  end
end
