# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

# The ApplicationController patch against a fake sidecar: what a request with
# an API credential gets for each answer, and that requests without one take
# core's path.
class Redmine::ApiTest::ApiGuardAuthenticationTest < Redmine::ApiTest::Base
  include RedmineApiGuard::FakeSidecar

  fixtures :users, :email_addresses, :user_preferences, :projects, :members, :member_roles, :roles,
           :tokens, :enabled_modules, :issues, :trackers, :projects_trackers, :issue_statuses,
           :enumerations, :attachments

  TOKEN = 'rmp_abcd1234efgh5678ijkl9012mnop3456qrst'

  def teardown
    User.current = nil
    super
  end

  test "GET /users/current.json with an allowed token should respond as its user" do
    sidecar.allow(User.find(2))
    get '/users/current.json', headers: {'X-Redmine-API-Key' => TOKEN}

    assert_response 200
    assert_equal 2, response_data['user']['id']
    assert_equal 'jsmith', response_data['user']['login']
  end

  test "GET /users/current.json with an allowed token should send the credential and context to the sidecar" do
    sidecar.allow(User.find(2))
    get '/users/current.json', headers: {'X-Redmine-API-Key' => TOKEN, 'User-Agent' => 'api-client/1.0'}

    assert_response 200
    call = authorize_call
    assert_equal TOKEN, call[:credential]
    assert_equal :CREDENTIAL_SOURCE_HEADER, call[:source]
    context = call[:context]
    assert_equal 'GET', context[:method]
    assert_equal '/users/current.json', context[:path]
    assert_equal 'users', context[:controller]
    assert_equal 'show', context[:action]
    assert_equal 'json', context[:format]
    assert_equal '127.0.0.1', context[:remote_ip]
    assert_equal 'api-client/1.0', context[:user_agent]
    assert_equal '', context[:project_identifier]
    assert context[:request_id].present?
  end

  test "GET /projects/:id/issues.xml with an allowed token should send the project identifier" do
    sidecar.allow(User.find(2))
    get '/projects/ecookbook/issues.xml', headers: {'Authorization' => "Bearer #{TOKEN}"}

    assert_response 200
    call = authorize_call
    assert_equal :CREDENTIAL_SOURCE_BEARER, call[:source]
    assert_equal 'ecookbook', call[:context][:project_identifier]
    assert_equal 'issues', call[:context][:controller]
    assert_equal 'index', call[:context][:action]
  end

  test "GET /users/current.json with an allowed key parameter should respond as its user" do
    sidecar.allow(User.find(3), kind: :CREDENTIAL_KIND_LEGACY_KEY)
    get "/users/current.json?key=#{TOKEN}"

    assert_response 200
    assert_equal 3, response_data['user']['id']
    assert_equal :CREDENTIAL_SOURCE_QUERY, authorize_call[:source]
  end

  test "GET /users/current.xml with an allowed token as basic user name should respond as its user" do
    sidecar.allow(User.find(2))
    get '/users/current.xml', headers: credentials(TOKEN, 'X')

    assert_response 200
    assert_equal '2', response_data['user']['id']
    assert_equal :CREDENTIAL_SOURCE_BASIC, authorize_call[:source]
  end

  test "GET /users/current.json with a denied credential should respond with 401" do
    %i[
      DENY_REASON_MALFORMED DENY_REASON_UNKNOWN DENY_REASON_EXPIRED DENY_REASON_REVOKED
      DENY_REASON_USER_LOCKED DENY_REASON_LEGACY_KEY_REFUSED
    ].each do |reason|
      sidecar.deny!(reason, "The API credential is refused (#{reason})")
      get '/users/current.json', headers: {'X-Redmine-API-Key' => TOKEN}

      assert_response 401, reason.to_s
      assert_equal 'application/json', response.media_type
      assert_equal({'errors' => ["The API credential is refused (#{reason})"]}, response_data)
    end
  end

  test "GET /users/current.xml with a denied credential should respond with 401" do
    sidecar.deny!(:DENY_REASON_EXPIRED, 'The access token expired on 2024-01-31')
    get '/users/current.xml', headers: {'X-Redmine-API-Key' => TOKEN}

    assert_response 401
    assert_equal 'application/xml', response.media_type
    assert_equal({'errors' => ['The access token expired on 2024-01-31']}, response_data)
  end

  test "GET /projects/:id.json with a denied credential should respond with 401 even on a public project" do
    sidecar.deny!(:DENY_REASON_UNKNOWN, 'Unknown API credential')
    get '/projects/ecookbook.json', headers: {'X-Redmine-API-Key' => TOKEN}

    assert_response 401
    assert_equal({'errors' => ['Unknown API credential']}, response_data)
  end

  test "GET /projects/:id.json with an empty key parameter should respond with 401" do
    sidecar.deny!(:DENY_REASON_MALFORMED, 'Malformed API credential')
    get '/projects/ecookbook.json?key='

    assert_response 401
    assert_equal '', authorize_call[:credential]
  end

  test "GET /issues.json with a scope denied should respond with 403" do
    sidecar.deny!(:DENY_REASON_SCOPE_DENIED, 'The access token does not allow view_issues')
    get '/issues.json', headers: {'Authorization' => "Bearer #{TOKEN}"}

    assert_response 403
    assert_equal({'errors' => ['The access token does not allow view_issues']}, response_data)
  end

  test "GET /issues.xml with a project denied should respond with 403" do
    sidecar.deny!(:DENY_REASON_PROJECT_DENIED, 'The access token is not valid for this project')
    get '/issues.xml', headers: {'Authorization' => "Bearer #{TOKEN}"}

    assert_response 403
    assert_equal({'errors' => ['The access token is not valid for this project']}, response_data)
  end

  test "GET /issues.json when rate limited should respond with 429" do
    sidecar.deny!(:DENY_REASON_RATE_LIMITED, 'Too many requests')
    get '/issues.json', headers: {'X-Redmine-API-Key' => TOKEN}

    assert_response 429
    assert_equal({'errors' => ['Too many requests']}, response_data)
  end

  test "GET /projects/:id.json with the sidecar unavailable should respond with 503" do
    sidecar.fail_with(:authorize, RedmineApiGuard::SidecarError::Unavailable.new('14:connect failed'))
    get '/projects/ecookbook.json', headers: {'X-Redmine-API-Key' => TOKEN}

    assert_response 503
    assert_equal '5', response.headers['Retry-After']
    assert_equal({'errors' => [I18n.t(:error_api_guard_unavailable, locale: :en)]}, response_data)
    assert_not_includes response.body, 'connect failed'
  end

  test "GET /projects/:id.xml with the sidecar failing should respond with 503" do
    sidecar.fail_with(:authorize, RedmineApiGuard::SidecarError.new('13:internal error'))
    get '/projects/ecookbook.xml?key=' + TOKEN

    assert_response 503
    assert_equal '5', response.headers['Retry-After']
    assert_equal({'errors' => [I18n.t(:error_api_guard_unavailable, locale: :en)]}, response_data)
  end

  test "GET /projects/:id.json without credential should respond as anonymous without calling the sidecar" do
    get '/projects/ecookbook.json'

    assert_response 200
    assert_equal 'ecookbook', response_data['project']['identifier']
    assert_empty sidecar.calls_to(:authorize)
  end

  test "GET /users/current.json without credential should respond with 401 without calling the sidecar" do
    get '/users/current.json'

    assert_response 401
    assert response.headers.key?('WWW-Authenticate')
    assert_empty sidecar.calls_to(:authorize)
  end

  test "GET /users/current.json with a basic login and password should not call the sidecar" do
    get '/users/current.json', headers: credentials('jsmith')

    assert_response 200
    assert_equal 2, response_data['user']['id']
    assert_empty sidecar.calls_to(:authorize)
  end

  test "GET /users/current.json with a bearer token that is not ours should be refused, by OAuth or the sidecar" do
    get '/users/current.json', headers: {'Authorization' => 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.signature'}

    assert_response 401
    # Redmine 6.1 hands such tokens to its OAuth provider; without OAuth the
    # sidecar refuses them instead of letting them pass as anonymous.
    assert_equal RedmineApiGuard::ScopeCompat.native? ? 0 : 1, sidecar.calls_to(:authorize).size
  end

  test "GET /users/current.json with the REST API disabled should not call the sidecar" do
    with_settings rest_api_enabled: '0' do
      get '/users/current.json', headers: {'X-Redmine-API-Key' => TOKEN}
    end

    assert_response 403
    assert_empty sidecar.calls_to(:authorize)
  end

  test "GET /users/current.json allowed for a locked user should respond with 401" do
    locked = User.find(5)
    assert locked.locked?
    sidecar.allow(locked)
    get '/users/current.json', headers: {'X-Redmine-API-Key' => TOKEN}

    assert_response 401
    assert_equal({'errors' => [I18n.t(:error_api_guard_owner_locked, locale: :en)]}, response_data)
  end

  test "GET /users/current.json allowed for a deleted user should respond with 401" do
    sidecar.allow(999_999)
    get '/users/current.json', headers: {'X-Redmine-API-Key' => TOKEN}

    assert_response 401
  end

  test "GET /users/current.json with a basic token of a user who must change password should respond with 403" do
    User.find(2).update_column(:must_change_passwd, true)
    sidecar.allow(User.find(2))
    get '/users/current.json', headers: credentials(TOKEN, 'X')

    assert_response 403
  end

  test "GET /users/current.json with X-Redmine-Switch-User by an admin token should respond as the other user" do
    sidecar.allow(User.find(1))
    get '/users/current.json', headers: {'X-Redmine-API-Key' => TOKEN, 'X-Redmine-Switch-User' => 'jsmith'}

    assert_response 200
    assert_equal 'jsmith', response_data['user']['login']
  end

  test "GET /users/current.json with X-Redmine-Switch-User of a locked user should respond with 412" do
    sidecar.allow(User.find(1))
    get '/users/current.json', headers: {'X-Redmine-API-Key' => TOKEN, 'X-Redmine-Switch-User' => 'dlopper2'}

    assert_response 412
  end

  test "GET /users/current.json with X-Redmine-Switch-User by a non admin token should be ignored" do
    sidecar.allow(User.find(2))
    get '/users/current.json', headers: {'X-Redmine-API-Key' => TOKEN, 'X-Redmine-Switch-User' => 'admin'}

    assert_response 200
    assert_equal 'jsmith', response_data['user']['login']
  end

  test "X-Redmine-Switch-User by an admin token restricted to projects should be ignored" do
    sidecar.allow(User.find(1), project_ids: [1])
    get '/users/current.json', headers: {'X-Redmine-API-Key' => TOKEN, 'X-Redmine-Switch-User' => 'jsmith'}

    assert_response 200
    assert_equal 'admin', response_data['user']['login']
  end

  test "X-Redmine-Switch-User should keep the token's scopes for the switched-to user" do
    sidecar.allow(User.find(1), scopes: %w[admin view_issues view_project view_own_account])
    put '/issues/1.json', params: {issue: {subject: 'switched'}},
                          headers: {'X-Redmine-API-Key' => TOKEN, 'X-Redmine-Switch-User' => 'jsmith'}

    assert_response 403
    assert_not_equal 'switched', Issue.find(1).subject
    get '/users/current.json', headers: {'X-Redmine-API-Key' => TOKEN, 'X-Redmine-Switch-User' => 'jsmith'}
    assert_equal 'jsmith', response_data['user']['login']
  end

  test "a project_id given as a list should be answered with 400 in the API error format" do
    sidecar.allow(User.find(2), project_ids: [1])
    get '/issues.json?project_id[]=2', headers: {'X-Redmine-API-Key' => TOKEN}

    assert_response 400
    assert_equal ['project_id must be one project id or identifier'], response_data['errors']
  end

  test "a token restricted to projects should get the API formats and exports but no web page" do
    sidecar.allow(User.find(2), project_ids: [1])
    get '/projects/ecookbook/issues', headers: {'X-Redmine-API-Key' => TOKEN}
    assert_response 403

    get '/projects/ecookbook/issues.json', headers: {'X-Redmine-API-Key' => TOKEN}
    assert_response 200
    get '/projects/ecookbook/issues.csv', headers: {'X-Redmine-API-Key' => TOKEN}
    assert_response 200
  end

  test "the admin scope of a token whose owner is no administrator should unlock no uncovered change" do
    sidecar.allow(User.find(2), scopes: %w[admin view_issues])
    delete '/attachments/1.json', headers: {'X-Redmine-API-Key' => TOKEN}

    assert_response 403
    assert_match(/admin scope of this token is void/, response_data['errors'].first)
    assert Attachment.exists?(1)
  end

  test "the admin scope of an administrator's token should reach Redmine's own admin check" do
    sidecar.allow(User.find(1), scopes: %w[admin])
    put '/users/2.json', params: {user: {firstname: 'Scoped'}}, headers: {'X-Redmine-API-Key' => TOKEN}

    assert_response :no_content
    assert_equal 'Scoped', User.find(2).firstname
  end

  test "a numeric project_id in a JSON body should work as in stock Redmine" do
    sidecar.allow(User.find(2))
    post '/issues.json', params: {project_id: 1, issue: {tracker_id: 1, subject: 'numeric project'}}.to_json,
                         headers: {'X-Redmine-API-Key' => TOKEN, 'CONTENT_TYPE' => 'application/json'}

    assert_response :created
    assert_equal 1, authorize_call[:context][:project_id]
  end

  test "reading the switched-to user's own account should need view_own_account" do
    sidecar.allow(User.find(1), scopes: %w[admin view_issues])
    get '/users/2.json', headers: {'X-Redmine-API-Key' => TOKEN, 'X-Redmine-Switch-User' => 'jsmith'}

    assert_response 403
    assert_match(/needs one of: view_own_account/, response_data['errors'].first)
  end

  test "GET /projects/:id/issues.atom with an atom key should not call the sidecar" do
    atom_key = User.find(2).atom_key
    get "/projects/ecookbook/issues.atom?key=#{atom_key}"

    assert_response 200
    assert_equal 'application/atom+xml', response.media_type
    assert_empty sidecar.calls_to(:authorize)
  end

  test "GET /projects/:id/issues.atom with an API key should be checked by the sidecar" do
    sidecar.deny!(:DENY_REASON_UNKNOWN, 'Unknown API credential')
    get "/projects/ecookbook/issues.atom?key=#{TOKEN}"

    assert_response 401
    assert_equal TOKEN, authorize_call[:credential]
  end

  test "GET /users/current.json with a key parameter should filter the key from the logged parameters" do
    sidecar.allow(User.find(2))
    get "/users/current.json?key=#{TOKEN}"

    assert_response 200
    assert_includes Rails.application.config.filter_parameters, :key
    assert_equal '[FILTERED]', request.filtered_parameters['key']
    assert_not_includes request.filtered_path, TOKEN
  end

  private

  # The one authorize call of the request.
  def authorize_call
    calls = sidecar.calls_to(:authorize)

    assert_equal 1, calls.size, 'expected one authorize call'
    calls.first
  end
end
