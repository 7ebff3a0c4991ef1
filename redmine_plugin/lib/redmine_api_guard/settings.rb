# frozen_string_literal: true

module RedmineApiGuard
  # Typed access to the plugin's settings (Administration > Plugins). The
  # sidecar reads the same row for the policy; this side only needs the
  # address, the deadline and the form defaults.
  module Settings
    DEFAULT_ADDRESS = 'unix:/run/redmine-api-guard/sidecar.sock'

    DEFAULTS = {
      'max_lifetime_days' => '365',
      'default_lifetime_days' => '90',
      'legacy_key_policy' => 'allowed',
      'sidecar_address' => '',
      'sidecar_timeout_ms' => '1000',
      'grantable_scopes' => []
    }.freeze

    LEGACY_KEY_POLICIES = %w[allowed refused].freeze

    module_function

    def values
      stored = Setting.plugin_redmine_api_guard
      DEFAULTS.merge(stored.respond_to?(:to_h) ? stored.to_h.stringify_keys : {})
    end

    # An empty setting falls back to REDMINE_API_GUARD_SIDECAR, then to the
    # packaged default, so one environment variable can point a test instance.
    def sidecar_address
      sidecar_endpoint.first
    end

    def sidecar_timeout(settings = values)
      ms = settings['sidecar_timeout_ms'].to_i
      (ms.positive? ? ms : DEFAULTS['sidecar_timeout_ms'].to_i) / 1000.0
    end

    # Returns [address, timeout in seconds], reading the settings once: this
    # runs on every API request.
    def sidecar_endpoint
      settings = values
      address = settings['sidecar_address'].presence || ENV['REDMINE_API_GUARD_SIDECAR'].presence || DEFAULT_ADDRESS
      [address, sidecar_timeout(settings)]
    end

    # Settings the sidecar will ignore (and replace by defaults), for the
    # settings page to say so: Redmine saves plugin settings unchecked. The
    # lifetimes themselves are the sidecar's (GetPolicy); its bounds are the
    # same 1..3650 days (LIFETIME_CEILING_DAYS).
    def problems(settings = values)
      problems = %w[max_lifetime_days default_lifetime_days].reject do |key|
        (1..3650).cover?(Integer(settings[key].to_s, exception: false) || 0)
      end.map { |key| "#{key}=#{settings[key].to_s.inspect}" }
      if problems.empty? && settings['default_lifetime_days'].to_i > settings['max_lifetime_days'].to_i
        problems << "default_lifetime_days > max_lifetime_days (the maximum applies)"
      end
      problems
    end
  end
end
