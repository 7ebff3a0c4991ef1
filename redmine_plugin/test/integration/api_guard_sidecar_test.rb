# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

# End to end with the real sidecar of the test database (its address comes from
# REDMINE_API_GUARD_SIDECAR, see scripts/sidecar.sh): the sidecar reads the
# test's uncommitted rows and caches nothing. Tokens are created through the
# sidecar, which commits them on its own connection; they are deleted after
# each test.
class Redmine::ApiTest::ApiGuardSidecarTest < Redmine::ApiTest::Base
  fixtures :users, :email_addresses, :user_preferences, :projects, :members, :member_roles, :roles,
           :tokens, :enabled_modules

  def setup
    super
    @created_token_ids = []
    begin
      RedmineApiGuard::SidecarClient.current.policy
    rescue RedmineApiGuard::SidecarError => e
      flunk "no sidecar at #{RedmineApiGuard::Settings.sidecar_address} (#{e.message}): " \
            'start it with scripts/sidecar.sh start test'
    end
  end

  def teardown
    User.current = nil
    super
  end

  # After the test's transaction is rolled back: the sidecar committed these.
  def after_teardown
    super
  ensure
    if @created_token_ids.present?
      ActiveRecord::Base.connection.delete(
        "DELETE FROM api_guard_tokens WHERE id IN (#{@created_token_ids.map(&:to_i).join(',')})"
      )
    end
  end

  test "GET /users/current.json with a legacy API key header should respond as its user" do
    key = User.find(2).api_key
    get '/users/current.json', headers: {'X-Redmine-API-Key' => key}

    assert_response 200
    assert_equal 2, response_data['user']['id']
  end

  test "GET /users/current.xml with a legacy API key parameter should respond as its user" do
    key = User.find(3).api_key
    get "/users/current.xml?key=#{key}"

    assert_response 200
    assert_equal '3', response_data['user']['id']
  end

  test "GET /users/current.json with a legacy API key as basic user name should respond as its user" do
    key = User.find(2).api_key
    get '/users/current.json', headers: credentials(key, 'X')

    assert_response 200
    assert_equal 2, response_data['user']['id']
  end

  test "GET /users/current.json with an unknown credential should respond with 401" do
    get '/users/current.json', headers: {'X-Redmine-API-Key' => 'garbage'}

    assert_response 401
    assert_equal 1, response_data['errors'].size
  end

  test "GET /projects/:id.json with an unknown key should respond with 401 even on a public project" do
    get "/projects/ecookbook.json?key=#{'0' * 40}"

    assert_response 401
  end

  test "GET /users/current.json with a bearer token should respond as its user" do
    plaintext = create_token(User.find(2))
    get '/users/current.json', headers: {'Authorization' => "Bearer #{plaintext}"}

    assert_response 200
    assert_equal 2, response_data['user']['id']
    assert_equal 'jsmith', response_data['user']['login']
  end

  test "GET /projects/:id/issues.xml with a token header should respond as its user" do
    plaintext = create_token(User.find(2))
    get '/projects/ecookbook/issues.xml', headers: {'X-Redmine-API-Key' => plaintext}

    assert_response 200
    assert_equal 'application/xml', response.media_type
  end

  test "GET /users/current.json with a revoked token should respond with 401" do
    plaintext = create_token(User.find(2))
    get '/users/current.json', headers: {'Authorization' => "Bearer #{plaintext}"}
    assert_response 200

    RedmineApiGuard::SidecarClient.current.revoke_token(@created_token_ids.last, owner_id: 2, actor: nil)
    get '/users/current.json', headers: {'Authorization' => "Bearer #{plaintext}"}

    assert_response 401
    assert_equal 'application/json', response.media_type
    assert_equal 1, response_data['errors'].size
  end

  test "GET /users/current.json with an expired token should respond with 401" do
    plaintext = create_token(User.find(2))
    ActiveRecord::Base.connection.update(
      "UPDATE api_guard_tokens SET expires_on = '2020-01-01 00:00:00' WHERE id = #{@created_token_ids.last.to_i}"
    )
    get '/users/current.json', headers: {'Authorization' => "Bearer #{plaintext}"}

    assert_response 401
  end

  test "GET /users/current.json with a token of a locked user should respond with 401" do
    plaintext = create_token(User.find(2))
    User.find(2).lock!
    get '/users/current.json', headers: {'Authorization' => "Bearer #{plaintext}"}

    assert_response 401
  end

  test "GET /users/current.json with a legacy key refused by the policy should respond with 401" do
    key = User.find(2).api_key
    plaintext = create_token(User.find(2))
    with_settings plugin_redmine_api_guard: RedmineApiGuard::Settings.values.merge('legacy_key_policy' => 'refused') do
      get '/users/current.json', headers: {'X-Redmine-API-Key' => key}
      assert_response 401

      get '/users/current.json', headers: {'X-Redmine-API-Key' => plaintext}
      assert_response 200
    end
    get '/users/current.json', headers: {'X-Redmine-API-Key' => key}

    assert_response 200
  end

  test "create_token should list the token among the user's tokens" do
    create_token(User.find(2), name: 'listed by the sidecar')
    tokens = RedmineApiGuard::SidecarClient.current.list_user_tokens(2)

    token = tokens.detect { |t| t.id == @created_token_ids.last }
    assert_not_nil token
    assert_equal 'listed by the sidecar', token.name
    assert_equal :TOKEN_STATUS_ACTIVE, token.status
    assert token.display_prefix.start_with?('rmp_')
  end

  test "create_token with a duplicate name should raise invalid" do
    create_token(User.find(2), name: 'twice')

    assert_raises(RedmineApiGuard::SidecarError::Invalid) do
      create_token(User.find(2), name: 'twice')
    end
  end

  test "revoke_token of a token of another user should raise not found" do
    create_token(User.find(2))

    assert_raises(RedmineApiGuard::SidecarError::NotFound) do
      RedmineApiGuard::SidecarClient.current.revoke_token(@created_token_ids.last, owner_id: 3, actor: nil)
    end
  end

  private

  def create_token(user, name: "plugin test #{SecureRandom.hex(4)}")
    created = RedmineApiGuard::SidecarClient.current.create_token(
      user_id: user.id, name: name, expires_at: 7.days.from_now, actor: {user_id: user.id, remote_ip: '127.0.0.1'}
    )
    @created_token_ids << created.token.id
    created.plaintext
  end
end
