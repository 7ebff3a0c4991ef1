# frozen_string_literal: true

module RedmineApiGuard
  # Masks personal tokens in whatever Redmine logs, including Rails' own
  # messages about malformed requests, which quote raw parameters. The fixed
  # `rmp_` prefix is what makes this possible.
  module LogRedaction
    TOKEN = /rmp_[0-9A-Za-z]{8}[0-9A-Za-z]*/.freeze

    def call(severity, time, progname, msg)
      super.to_s.gsub(TOKEN) { |token| "#{token[0, 12]}[FILTERED]" }
    end

    # Installs the masking on `logger`'s formatter, once.
    def self.install(logger)
      formatter = logger&.formatter
      return if formatter.nil? || formatter.singleton_class.include?(self)

      formatter.singleton_class.prepend(self)
    end
  end
end
