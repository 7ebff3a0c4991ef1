# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class RedmineApiGuard::SidecarClientTest < ActiveSupport::TestCase
  MISSING_SOCKET = 'unix:/nonexistent/redmine-api-guard-test.sock'

  def teardown
    RedmineApiGuard::SidecarClient.override = nil
  end

  def test_current_should_return_the_override
    fake = RedmineApiGuard::FakeSidecarClient.new
    RedmineApiGuard::SidecarClient.override = fake

    assert_same fake, RedmineApiGuard::SidecarClient.current
  end

  def test_current_should_reuse_one_client_per_address
    RedmineApiGuard::Settings.stubs(:sidecar_endpoint).returns([MISSING_SOCKET, 0.5])
    client = RedmineApiGuard::SidecarClient.current

    assert_kind_of RedmineApiGuard::SidecarClient, client
    assert_equal MISSING_SOCKET, client.address
    assert_same client, RedmineApiGuard::SidecarClient.current
  end

  def test_current_should_build_a_new_client_when_the_address_changes
    RedmineApiGuard::Settings.stubs(:sidecar_endpoint).returns([MISSING_SOCKET, 0.5])
    first = RedmineApiGuard::SidecarClient.current
    RedmineApiGuard::Settings.stubs(:sidecar_endpoint).returns(["#{MISSING_SOCKET}.2", 0.5])
    second = RedmineApiGuard::SidecarClient.current

    assert_not_same first, second
    assert_equal "#{MISSING_SOCKET}.2", second.address
  end

  def test_a_call_to_an_absent_sidecar_should_raise_unavailable
    client = RedmineApiGuard::SidecarClient.new(MISSING_SOCKET, 0.5)

    assert_raises(RedmineApiGuard::SidecarError::Unavailable) do
      client.authorize(credential: 'rmp_x', source: :CREDENTIAL_SOURCE_HEADER, context: {method: 'GET', path: '/'})
    end
    assert_raises(RedmineApiGuard::SidecarError::Unavailable) do
      client.list_user_tokens(2)
    end
  end

  def test_an_unavailable_sidecar_should_make_current_open_a_new_channel
    RedmineApiGuard::Settings.stubs(:sidecar_endpoint).returns([MISSING_SOCKET, 0.5])
    client = RedmineApiGuard::SidecarClient.current
    assert_raises(RedmineApiGuard::SidecarError::Unavailable) { client.list_user_tokens(2) }

    assert_not_same client, RedmineApiGuard::SidecarClient.current
  end

  def test_authorize_should_send_valid_utf8_for_binary_header_bytes
    client = RedmineApiGuard::SidecarClient.new(MISSING_SOCKET)
    sent = nil
    client.instance_variable_get(:@auth).stubs(:authorize).with do |request, **|
      sent = request
      true
    end.returns(RedmineApiGuardProto::V1::AuthorizeResponse.new(decision: :DECISION_DENY))
    client.authorize(credential: "rmp_\xFF\xFE".b, source: :CREDENTIAL_SOURCE_HEADER,
                     context: {method: 'GET', path: '/users/current.json', user_agent: "agent \xC3".b})

    assert_equal 'rmp_??', sent.credential
    assert_equal 'agent ?', sent.context.user_agent
    assert_equal '/users/current.json', sent.context.path
  end

  def test_create_token_should_send_the_expiry_as_a_timestamp
    client = RedmineApiGuard::SidecarClient.new(MISSING_SOCKET)
    sent = nil
    client.instance_variable_get(:@tokens).stubs(:create_token).with do |request, **|
      sent = request
      true
    end.returns(RedmineApiGuardProto::V1::CreateTokenResponse.new)
    client.create_token(user_id: 2, name: :deploy, expires_at: Time.utc(2030, 1, 31, 23, 59, 59),
                        actor: {user_id: 1, remote_ip: '192.0.2.1', request_id: 'req-1'})

    assert_equal 2, sent.user_id
    assert_equal 'deploy', sent.name
    assert_equal Time.utc(2030, 1, 31, 23, 59, 59).to_i, sent.expires_at.seconds
    assert_equal 1, sent.actor.user_id
    assert_equal '192.0.2.1', sent.actor.remote_ip
    assert_equal 'req-1', sent.actor.request_id
  end

  def test_create_token_without_expiry_should_leave_it_unset
    client = RedmineApiGuard::SidecarClient.new(MISSING_SOCKET)
    sent = nil
    client.instance_variable_get(:@tokens).stubs(:create_token).with do |request, **|
      sent = request
      true
    end.returns(RedmineApiGuardProto::V1::CreateTokenResponse.new)
    client.create_token(user_id: 2, name: 'deploy', expires_at: nil, actor: nil)

    assert_nil sent.expires_at
    assert_nil sent.actor
  end
end
