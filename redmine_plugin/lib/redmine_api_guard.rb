# frozen_string_literal: true

# Redmine side of redmine-api-guard: a thin client of the api-guard sidecar.
module RedmineApiGuard
  PATCHES = {
    'ApplicationController' => 'RedmineApiGuard::Patches::ApplicationControllerPatch',
    'User' => 'RedmineApiGuard::Patches::UserPatch',
    'Token' => 'RedmineApiGuard::Patches::TokenPatch',
    'Setting' => 'RedmineApiGuard::Patches::SettingPatch'
  }.freeze

  class << self
    # Prepends each patch once, also when init.rb runs again on a code reload.
    def install_patches
      patches = PATCHES.to_a
      patches << %w[User RedmineApiGuard::Patches::UserScopePatch] unless ScopeCompat.native?
      patches.each do |target, patch|
        klass = target.constantize
        mod = patch.constantize
        klass.prepend(mod) unless klass.ancestors.include?(mod)
      end
      RedmineApiGuard::Hooks # registers the view hooks
      filter_key_parameter
    end

    def logger
      Rails.logger
    end

    private

    # Core filters only passwords; `key` carries API keys in query strings.
    def filter_key_parameter
      filters = Rails.application.config.filter_parameters
      filters << :key unless filters.include?(:key)
    end
  end
end
