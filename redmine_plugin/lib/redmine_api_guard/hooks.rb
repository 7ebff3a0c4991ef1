# frozen_string_literal: true

module RedmineApiGuard
  # View hooks: the way into the token pages from "My account".
  class Hooks < Redmine::Hook::ViewListener
    def view_my_account_contextual(context = {})
      return '' unless Setting.rest_api_enabled?

      link_to(l(:label_api_guard_my_tokens), api_guard_tokens_path, class: 'icon icon-passwd')
    end
  end
end
