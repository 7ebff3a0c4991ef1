# frozen_string_literal: true

module RedmineApiGuard
  # What authenticated the current request, kept for the request only
  # (RequestStore is cleared after each request by Redmine's middleware).
  module RequestCredential
    KEY = :redmine_api_guard_credential_kind

    module_function

    def kind=(kind)
      RequestStore.store[KEY] = kind
    end

    def kind
      RequestStore.store[KEY]
    end

    # A request made with a personal token must not hand out the owner's
    # static keys (API key, Atom key): they never expire and would outlive
    # the token's revocation.
    def personal_token?
      kind == :CREDENTIAL_KIND_PERSONAL_TOKEN
    end
  end
end
