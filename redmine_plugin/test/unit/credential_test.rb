# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class RedmineApiGuard::CredentialTest < ActiveSupport::TestCase
  LEGACY_KEY = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0'
  TOKEN = 'rmp_abcd1234efgh5678ijkl9012mnop3456qrst'

  def test_from_request_without_credential_should_return_nil
    assert_nil credential_for
  end

  def test_from_request_should_read_the_api_key_header
    credential = credential_for(headers: {'X-Redmine-API-Key' => LEGACY_KEY})

    assert_equal LEGACY_KEY, credential.value
    assert_equal :CREDENTIAL_SOURCE_HEADER, credential.source
  end

  def test_from_request_should_keep_an_empty_api_key_header
    credential = credential_for(headers: {'X-Redmine-API-Key' => ''})

    assert_not_nil credential
    assert_equal '', credential.value
    assert_equal :CREDENTIAL_SOURCE_HEADER, credential.source
  end

  def test_from_request_should_read_the_key_parameter
    credential = credential_for(params: {key: TOKEN})

    assert_equal TOKEN, credential.value
    assert_equal :CREDENTIAL_SOURCE_QUERY, credential.source
  end

  def test_from_request_should_keep_an_empty_key_parameter
    credential = credential_for(params: {key: ''})

    assert_not_nil credential
    assert_equal '', credential.value
    assert_equal :CREDENTIAL_SOURCE_QUERY, credential.source
  end

  def test_from_request_should_read_a_non_string_key_parameter_as_empty
    [['a', 'b'], {'nested' => LEGACY_KEY}].each do |value|
      credential = credential_for(params: {key: value})

      assert_not_nil credential, "key=#{value.inspect}"
      assert_equal '', credential.value
      assert_equal :CREDENTIAL_SOURCE_QUERY, credential.source
    end
  end

  def test_from_request_should_prefer_the_key_parameter_to_the_header
    credential = credential_for(params: {key: TOKEN}, headers: {'X-Redmine-API-Key' => LEGACY_KEY})

    assert_equal TOKEN, credential.value
    assert_equal :CREDENTIAL_SOURCE_QUERY, credential.source
  end

  def test_from_request_should_prefer_the_header_to_the_authorization
    credential = credential_for(headers: {'X-Redmine-API-Key' => LEGACY_KEY,
                                          'Authorization' => "Bearer #{TOKEN}"})

    assert_equal LEGACY_KEY, credential.value
    assert_equal :CREDENTIAL_SOURCE_HEADER, credential.source
  end

  def test_from_request_should_read_a_bearer_token
    credential = credential_for(headers: {'Authorization' => "Bearer #{TOKEN}"})

    assert_equal TOKEN, credential.value
    assert_equal :CREDENTIAL_SOURCE_BEARER, credential.source
    assert_not credential.basic?
  end

  def test_from_request_should_read_the_bearer_scheme_case_insensitively
    credential = credential_for(headers: {'Authorization' => "bearer   #{TOKEN} "})

    assert_equal TOKEN, credential.value
    assert_equal :CREDENTIAL_SOURCE_BEARER, credential.source
  end

  def test_from_request_should_leave_other_bearer_tokens_to_oauth_only_where_redmine_has_it
    other = credential_for(headers: {'Authorization' => 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.signature'})
    if RedmineApiGuard::ScopeCompat.native?
      assert_nil other
    else
      assert_equal :CREDENTIAL_SOURCE_BEARER, other.source
    end
  end

  def test_from_request_should_refuse_an_empty_bearer_header_where_redmine_has_no_oauth
    empty = credential_for(headers: {'Authorization' => 'Bearer'})
    if RedmineApiGuard::ScopeCompat.native?
      assert_nil empty
    else
      assert_equal '', empty.value
    end
  end

  def test_from_request_should_read_a_token_as_basic_user_name
    credential = credential_for(headers: basic(TOKEN, 'X'))

    assert_equal TOKEN, credential.value
    assert_equal :CREDENTIAL_SOURCE_BASIC, credential.source
    assert credential.basic?
  end

  def test_from_request_should_read_a_legacy_key_as_basic_user_name
    credential = credential_for(headers: basic(LEGACY_KEY, 'whatever'))

    assert_equal LEGACY_KEY, credential.value
    assert_equal :CREDENTIAL_SOURCE_BASIC, credential.source
  end

  def test_from_request_should_leave_a_basic_login_name_to_core
    assert_nil credential_for(headers: basic('jsmith', 'jsmith'))
    assert_nil credential_for(headers: basic(LEGACY_KEY.first(39), 'X'))
    assert_nil credential_for(headers: basic("#{LEGACY_KEY}0", 'X'))
    assert_nil credential_for(headers: basic('g' * 40, 'X'))
  end

  def test_from_request_should_ignore_other_authorization_schemes
    assert_nil credential_for(headers: {'Authorization' => "Digest username=\"#{TOKEN}\""})
    assert_nil credential_for(headers: {'Authorization' => ''})
  end

  private

  def credential_for(params: {}, headers: {})
    request = ActionDispatch::TestRequest.create
    headers.each { |name, value| request.headers[name] = value }
    RedmineApiGuard::Credential.from_request(request, ActionController::Parameters.new(params))
  end

  def basic(user, password)
    {'Authorization' => ActionController::HttpAuthentication::Basic.encode_credentials(user, password)}
  end
end
