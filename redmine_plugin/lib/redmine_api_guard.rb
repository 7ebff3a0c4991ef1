# frozen_string_literal: true

# Redmine side of redmine-api-guard: a thin client of the api-guard sidecar.
module RedmineApiGuard
  PATCHES = [
    %w[ApplicationController RedmineApiGuard::Patches::ApplicationControllerPatch],
    %w[User RedmineApiGuard::Patches::UserPatch],
    %w[User RedmineApiGuard::Patches::UserKeysPatch],
    %w[Token RedmineApiGuard::Patches::TokenPatch],
    %w[Setting RedmineApiGuard::Patches::SettingPatch],
    %w[User RedmineApiGuard::Patches::UserRestrictionPatch],
    %w[Issue RedmineApiGuard::Patches::IssueRestrictionPatch],
    %w[TimeEntry RedmineApiGuard::Patches::TimeEntryRestrictionPatch],
    %w[Version RedmineApiGuard::Patches::VersionRestrictionPatch],
    %w[IssueRelationsController RedmineApiGuard::Patches::IssueRelationsControllerPatch],
    %w[IssuesHelper RedmineApiGuard::Patches::IssuesHelperPatch],
    %w[TimelogController RedmineApiGuard::Patches::TimelogControllerPatch],
    %w[IssuesController RedmineApiGuard::Patches::IssuesControllerPatch],
    %w[ProjectsController RedmineApiGuard::Patches::ProjectsControllerPatch],
    %w[MembersController RedmineApiGuard::Patches::MembersControllerPatch],
    %w[IssueQuery RedmineApiGuard::Patches::IssueQueryRestrictionPatch],
    %w[IssueRelation RedmineApiGuard::Patches::IssueRelationRestrictionPatch],
    %w[GroupsController RedmineApiGuard::Patches::GroupsControllerPatch],
    %w[IssueCategoriesController RedmineApiGuard::Patches::IssueCategoriesControllerPatch],
    %w[VersionsController RedmineApiGuard::Patches::VersionsControllerPatch],
    %w[WikiController RedmineApiGuard::Patches::WikiControllerPatch]
  ].freeze
  # Class-level patches: [target, module prepended to its singleton class].
  CLASS_PATCHES = [
    %w[Project RedmineApiGuard::Patches::ProjectRestrictionPatch],
    %w[Issue RedmineApiGuard::Patches::IssueRestrictionPatch::ClassMethods],
    %w[TimeEntry RedmineApiGuard::Patches::TimeEntryRestrictionPatch::ClassMethods]
  ].freeze

  KEY_IN_URL = /(?:[?&]|%3F|%26|%253F|%2526)key(?:=|%3D|%253D)/i.freeze

  class << self
    # Prepends each patch once, also when init.rb runs again on a code reload.
    def install_patches
      patches = PATCHES.dup
      patches << %w[User RedmineApiGuard::Patches::UserScopePatch] unless ScopeCompat.native?
      patches.each do |target, patch|
        klass = target.constantize
        mod = patch.constantize
        klass.prepend(mod) unless klass.ancestors.include?(mod)
      end
      CLASS_PATCHES.each do |target, patch|
        klass = target.constantize.singleton_class
        mod = patch.constantize
        klass.prepend(mod) unless klass.ancestors.include?(mod)
      end
      RedmineApiGuard::Hooks # registers the view hooks
      filter_key_parameter
      LogRedaction.install(Rails.logger)
    end

    def logger
      Rails.logger
    end

    private

    # Core filters only passwords; `key` carries API keys in query strings,
    # also inside the back_url of a redirect to the login page.
    def filter_key_parameter
      config = Rails.application.config
      config.filter_parameters << :key unless config.filter_parameters.include?(:key)
      config.filter_redirect << KEY_IN_URL unless config.filter_redirect.include?(KEY_IN_URL)
    end
  end
end
