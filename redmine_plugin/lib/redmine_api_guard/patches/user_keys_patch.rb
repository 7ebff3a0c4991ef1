# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Hides static keys from requests authenticated by a personal token: the
    # API responses (/my/account, /users/:id) and pages then show no key.
    module UserKeysPatch
      def api_key
        return nil if RedmineApiGuard::RequestCredential.personal_token?

        super
      end

      def atom_key
        return nil if RedmineApiGuard::RequestCredential.personal_token?

        super
      end
    end
  end
end
