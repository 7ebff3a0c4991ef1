# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class RedmineApiGuard::LocalesTest < ActiveSupport::TestCase
  LOCALES_DIR = File.expand_path('../../config/locales', File.dirname(__FILE__))

  def test_every_locale_should_have_the_keys_of_en
    english = keys_of('en')

    assert_not_empty english
    locales.each do |locale|
      keys = keys_of(locale)

      assert_equal [], (english - keys).sort, "keys missing from #{locale}.yml"
      assert_equal [], (keys - english).sort, "keys of #{locale}.yml not in en.yml"
    end
  end

  def test_en_and_fr_should_have_the_same_keys
    assert_equal keys_of('en').sort, keys_of('fr').sort
  end

  def test_translations_should_use_the_same_interpolations
    english = messages_of('en')
    locales.each do |locale|
      messages_of(locale).each do |key, text|
        assert_equal interpolations(english[key]), interpolations(text), "#{locale}.#{key}"
      end
    end
  end

  def test_translations_should_not_be_blank
    locales.each do |locale|
      messages_of(locale).each do |key, text|
        assert text.present?, "#{locale}.#{key} is blank"
      end
    end
  end

  def test_every_key_used_by_the_plugin_should_exist_in_en
    plugin_root = File.expand_path('../..', File.dirname(__FILE__))
    sources = Dir.glob(File.join(plugin_root, '{app,lib}/**/*.{rb,erb}')) + [File.join(plugin_root, 'init.rb')]
    used = sources.flat_map { |file| File.read(file).scan(/[:"'](\w*api_guard\w*)/).flatten }
    used = used.select { |key| key.match?(/\A(label|button|setting|notice|error|text)_api_guard_/) }

    assert_not_empty used
    # Prefixes completed at run time (status, legacy policy, preset, account scope names)
    built = %w[label_api_guard_status_ label_api_guard_legacy_ label_api_guard_preset_ label_api_guard_scope_]
    (used - built).uniq.each do |key|
      assert_includes keys_of('en'), key
    end
  end

  def test_keys_built_at_run_time_should_exist_in_en
    keys = keys_of('en')
    built = %w[active expired revoked unknown].map { |s| "label_api_guard_status_#{s}" } +
            RedmineApiGuard::Settings::LEGACY_KEY_POLICIES.map { |p| "label_api_guard_legacy_#{p}" } +
            RedmineApiGuard::ScopeCatalog::PRESETS.map { |p| "label_api_guard_preset_#{p}" } +
            RedmineApiGuard::ScopeCatalog::ACCOUNT_SCOPES.keys.map { |k| "label_api_guard_scope_#{k}" }

    assert_equal [], built - keys
  end

  private

  def locales
    Dir.glob(File.join(LOCALES_DIR, '*.yml')).map { |file| File.basename(file, '.yml') }.sort
  end

  def messages_of(locale)
    data = YAML.safe_load(File.read(File.join(LOCALES_DIR, "#{locale}.yml")))

    assert_equal [locale], data.keys
    flatten(data[locale])
  end

  def keys_of(locale)
    messages_of(locale).keys
  end

  def flatten(hash, prefix = nil)
    hash.each_with_object({}) do |(key, value), flat|
      name = [prefix, key].compact.join('.')
      value.is_a?(Hash) ? flat.merge!(flatten(value, name)) : flat[name] = value
    end
  end

  def interpolations(text)
    text.to_s.scan(/%\{(\w+)\}/).flatten.sort
  end
end
