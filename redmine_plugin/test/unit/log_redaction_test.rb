# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class RedmineApiGuard::LogRedactionTest < ActiveSupport::TestCase
  TOKEN = "rmp_#{'a1B2c3D4' * 6}x"
  KEY = '0123456789abcdef0123456789abcdef01234567'

  def redact(line)
    RedmineApiGuard::LogRedaction.redact(line)
  end

  def test_redact_should_cut_a_token_to_its_display_prefix
    assert_equal 'token rmp_a1B2c3D4[FILTERED] used', redact("token #{TOKEN} used")
  end

  def test_redact_should_mask_percent_encoded_tokens
    [TOKEN.sub('_', '%5F'), TOKEN.sub('_', '%255F'), TOKEN.sub('_', '\u005f')].each do |encoded|
      assert_not_includes redact("GET /x?k%65y=#{encoded}"), 'a1B2c3D4a1B2', encoded
    end
  end

  def test_redact_should_mask_tokens_with_percent_encoded_letters
    ["r%6Dp_#{TOKEN[4..]}", "%72mp_#{TOKEN[4..]}", "rmp_%53#{TOKEN[5..]}", "rmp_a1B2%63#{TOKEN[9..]}"].each do |encoded|
      line = redact("Started GET \"/issues.json?x=#{encoded}\"")

      assert_not_includes line, 'c3D4a1B2c3D4', encoded
      assert_includes line, '[FILTERED]', encoded
    end
  end

  def test_redact_should_mask_the_value_of_key_parameters
    [
      "Started GET \"/my/page?key=#{KEY}\"",
      "Redirected to http://h/login?back_url=http%3A%2F%2Fh%2Fmy%2Fpage%3Fkey%3D#{KEY}",
      "Redirected to http://h/login?back_url=http%3A%2F%2Fh%2Fa%3Fb%3D1%26key%3D#{KEY}",
      "Started GET \"/login?back_url=http%253A%252F%252Fh%253Fkey%253D#{KEY}\"",
      "Parameters: {\"back_url\"=>\"http://h/my/page?key=#{KEY}\"}",
      "Started GET \"/issues.json?k%65%79=#{KEY}\"",
      "Error parsing {\"key\": \"#{KEY}\", bad",
      "ActionDispatch::Http::Parameters::ParseError (unexpected token at 'key=#{KEY}')",
      "Error parsing {\"key\":[\"#{KEY}\"]",
      "Error parsing {\"key\" \"#{KEY}\"",
      "Error parsing {\"api_key\":\"#{KEY}\"}",
      "Started GET \"/issues.json?api_key=#{KEY}\""
    ].each do |line|
      assert_not_includes redact(line), KEY, line
      assert_includes redact(line), '[FILTERED]', line
    end
  end

  def test_redact_should_leave_other_parameters_alone
    line = 'Started GET "/issues.json?api_key_hint=1&monkey=2&project_id=3"'

    assert_equal line, redact(line)
  end
end
