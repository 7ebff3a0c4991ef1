# frozen_string_literal: true

module RedmineApiGuard
  # What authenticated the current request. Kept on the request's user object
  # (User.current is per request on every Redmine version), so it ends with
  # the request.
  module RequestCredential
    IVAR = :@api_guard_credential_kind

    module_function

    def mark(user, kind)
      user.instance_variable_set(IVAR, kind)
    end

    # A request made with a personal token must not hand out the owner's
    # static keys (API key, Atom key): they never expire and would outlive
    # the token's revocation.
    def personal_token?
      User.current.instance_variable_get(IVAR) == :CREDENTIAL_KIND_PERSONAL_TOKEN
    end
  end
end
