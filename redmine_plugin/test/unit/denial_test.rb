# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class RedmineApiGuard::DenialTest < ActiveSupport::TestCase
  def test_http_status_should_be_401_for_credential_problems
    %i[
      DENY_REASON_UNSPECIFIED DENY_REASON_MALFORMED DENY_REASON_UNKNOWN DENY_REASON_EXPIRED
      DENY_REASON_REVOKED DENY_REASON_USER_LOCKED DENY_REASON_LEGACY_KEY_REFUSED
    ].each do |reason|
      assert_equal 401, RedmineApiGuard::Denial.http_status(reason), reason.to_s
    end
  end

  def test_http_status_should_be_403_for_refused_permissions
    %i[
      DENY_REASON_SCOPE_DENIED DENY_REASON_PROJECT_DENIED DENY_REASON_ENDPOINT_DISABLED
      DENY_REASON_IP_NOT_ALLOWED
    ].each do |reason|
      assert_equal 403, RedmineApiGuard::Denial.http_status(reason), reason.to_s
    end
  end

  def test_http_status_should_be_429_for_rate_limited
    assert_equal 429, RedmineApiGuard::Denial.http_status(:DENY_REASON_RATE_LIMITED)
  end

  def test_http_status_should_accept_the_reason_as_a_string
    assert_equal 403, RedmineApiGuard::Denial.http_status('DENY_REASON_SCOPE_DENIED')
  end

  def test_http_status_should_be_401_for_a_reason_unknown_to_the_plugin
    # protobuf gives an enum value this plugin's stubs do not know as an Integer
    assert_equal 401, RedmineApiGuard::Denial.http_status(99)
    assert_equal 401, RedmineApiGuard::Denial.http_status(:DENY_REASON_FROM_THE_FUTURE)
    assert_equal 401, RedmineApiGuard::Denial.http_status(nil)
  end

  def test_http_status_should_cover_every_reason_of_the_wire_contract
    reasons = RedmineApiGuardProto::V1::DenyReason.constants.map(&:to_s).grep(/\ADENY_REASON_/)

    assert_operator reasons.size, :>=, 12
    reasons.each do |reason|
      assert_includes [401, 403, 429], RedmineApiGuard::Denial.http_status(reason), reason
    end
  end
end
