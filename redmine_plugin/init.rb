# frozen_string_literal: true

# Generated protobuf and gRPC stubs (make proto) live outside lib/ so that
# Zeitwerk does not expect constants from their paths.
generated = File.expand_path('generated', __dir__)
$LOAD_PATH.unshift(generated) unless $LOAD_PATH.include?(generated)

Redmine::Plugin.register :redmine_api_guard do
  name 'Redmine API Guard'
  author 'redmine-api-guard'
  description 'Personal access tokens with expiry for the REST API, checked by the api-guard sidecar'
  version '0.1.0'
  url 'https://www.redmine.org/plugins'
  requires_redmine version_or_higher: '5.0.0'

  settings default: RedmineApiGuard::Settings::DEFAULTS,
           partial: 'settings/redmine_api_guard_settings'

  menu :admin_menu, :api_guard_tokens,
       { controller: 'api_guard_admin_tokens', action: 'index' },
       caption: :label_api_guard_admin_tokens, html: { class: 'icon icon-passwd' }
end

# REDMINE_API_GUARD_DISABLED=1 leaves Redmine's authentication as shipped (the
# benchmark's stock baseline; also an emergency switch). The pages stay.
if ENV['REDMINE_API_GUARD_DISABLED'] == '1'
  Rails.logger.warn('[redmine_api_guard] REDMINE_API_GUARD_DISABLED=1: API authentication is stock Redmine')
else
  RedmineApiGuard.install_patches
end
