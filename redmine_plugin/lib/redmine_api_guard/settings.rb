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

    # Redmine saves plugin settings as posted: a value of the wrong shape
    # (settings[sidecar_timeout_ms][]=1) takes the default; `problems` names it.
    def values
      DEFAULTS.merge(stored) { |_key, default, value| value.is_a?(default.class) ? value : default }
    end

    def stored
      raw = Setting.plugin_redmine_api_guard
      raw.respond_to?(:to_h) ? raw.to_h.stringify_keys : {}
    end

    # An empty setting falls back to REDMINE_API_GUARD_SIDECAR, then to the
    # packaged default, so one environment variable can point a test instance.
    def sidecar_address
      sidecar_endpoint.first
    end

    TIMEOUT_MS = (50..30_000).freeze

    # Seconds; a missing value takes the default, one outside 50..30000 ms
    # the nearest bound.
    def sidecar_timeout(settings = values)
      ms = settings['sidecar_timeout_ms'].to_i
      (ms.positive? ? ms.clamp(TIMEOUT_MS) : DEFAULTS['sidecar_timeout_ms'].to_i) / 1000.0
    end

    # Returns [address, timeout in seconds], reading the settings once: this
    # runs on every API request.
    def sidecar_endpoint
      settings = values
      address = settings['sidecar_address'].presence || ENV['REDMINE_API_GUARD_SIDECAR'].presence || DEFAULT_ADDRESS
      [address, sidecar_timeout(settings)]
    end

    # Nil when the sidecar answers at the configured address, else why not:
    # for the settings page, since Redmine saves any address. Waits half a
    # second at most, and never breaks the page.
    def sidecar_problem
      SidecarClient.current.policy(timeout: [sidecar_timeout, 0.5].min)
      nil
    rescue StandardError, LoadError => e
      e.message
    end

    # Settings the sidecar will ignore (and replace by defaults), for the
    # settings page to say so: Redmine saves plugin settings unchecked. The
    # lifetimes themselves are the sidecar's (GetPolicy); its bounds are the
    # same 1..3650 days (LIFETIME_CEILING_DAYS).
    def problems(settings = values)
      problems = stored.filter_map do |key, value|
        default = DEFAULTS[key]
        "#{key}=#{value.inspect} (#{default.inspect} applies)" unless default.nil? || value.is_a?(default.class)
      end
      policy = settings['legacy_key_policy'].to_s
      unless policy.empty? || LEGACY_KEY_POLICIES.include?(policy)
        problems << "legacy_key_policy=#{policy.inspect} (#{LEGACY_KEY_POLICIES.join(' or ')}; legacy keys are refused until then)"
      end
      problems += %w[max_lifetime_days default_lifetime_days].reject do |key|
        (1..3650).cover?(Integer(settings[key].to_s, exception: false) || 0)
      end.map { |key| "#{key}=#{settings[key].to_s.inspect} (1 to 3650 days: #{DEFAULTS[key]} applies)" }
      if problems.empty? && settings['default_lifetime_days'].to_i > settings['max_lifetime_days'].to_i
        problems << "default_lifetime_days > max_lifetime_days (the maximum applies)"
      end
      timeout = settings['sidecar_timeout_ms'].to_s
      unless timeout.empty? || TIMEOUT_MS.cover?(Integer(timeout, exception: false) || 0)
        applied = (sidecar_timeout(settings) * 1000).round
        problems << "sidecar_timeout_ms=#{timeout.inspect} " \
                    "(#{TIMEOUT_MS.min} to #{TIMEOUT_MS.max} ms: #{applied} applies)"
      end
      problems
    end
  end
end
