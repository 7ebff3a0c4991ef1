# frozen_string_literal: true

module RedmineApiGuard
  # Masks API credentials in whatever Redmine logs, including Rails' own
  # messages about malformed requests, which quote raw parameters, and URLs
  # logged still percent-encoded (once or twice, as in a back_url):
  # - personal tokens, found by their fixed `rmp_` prefix;
  # - the value of any `key` parameter (legacy keys have no prefix).
  module LogRedaction
    UNDERSCORE = '(?:_|%5F|%255F|\\\\u005F)'
    # A letter or digit, also percent-encoded once or twice.
    ALNUM = '(?:[0-9A-Za-z]|%[0-9A-Fa-f]{2}|%25[0-9A-Fa-f]{2})'
    TOKEN = /(?:r|%72|%2572)(?:m|%6D|%256D)(?:p|%70|%2570)#{UNDERSCORE}#{ALNUM}{8,}/i.freeze
    # `key` or `api_key` as a parameter (also percent-encoded, or quoted as
    # in Rails' parse errors), or as a JSON member, even malformed; the name
    # and separator are kept, the value masked.
    KEY_VALUE = /
      ((?:^|[?&;\s'"(]|%3F|%26|%253F|%2526)
       (?:api#{UNDERSCORE})?
       (?:k|%6B|%256B)(?:e|%65|%2565)(?:y|%79|%2579)(?:=|%3D|%253D))[^&;\s"'<>]+
      |("(?:api_)?key"\s*:?\s*\[?\s*")[^"]*
    /ix.freeze

    def call(severity, time, progname, msg)
      LogRedaction.redact(super.to_s)
    end

    def self.redact(line)
      line.gsub(TOKEN) { |token| "#{token[0, 12]}[FILTERED]" }
          .gsub(KEY_VALUE) { "#{Regexp.last_match(1) || Regexp.last_match(2)}[FILTERED]" }
    end

    # Installs the masking on `logger`'s formatter, once.
    def self.install(logger)
      formatter = logger&.formatter
      return if formatter.nil? || formatter.singleton_class.include?(self)

      formatter.singleton_class.prepend(self)
    end
  end
end
