# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class RedmineApiGuard::SidecarErrorTest < ActiveSupport::TestCase
  CODES = GRPC::Core::StatusCodes

  def test_from_should_map_unavailable_and_deadline_exceeded_to_unavailable
    [CODES::UNAVAILABLE, CODES::DEADLINE_EXCEEDED, CODES::CANCELLED, CODES::RESOURCE_EXHAUSTED].each do |code|
      error = RedmineApiGuard::SidecarError.from(bad_status(code, 'connect failed'))

      assert_instance_of RedmineApiGuard::SidecarError::Unavailable, error, "code #{code}"
      assert_equal 503, error.http_status
      assert_equal 'connect failed', error.message
    end
  end

  def test_from_should_map_refused_requests_to_invalid
    [CODES::INVALID_ARGUMENT, CODES::ALREADY_EXISTS, CODES::FAILED_PRECONDITION].each do |code|
      error = RedmineApiGuard::SidecarError.from(bad_status(code, 'expiry is beyond the maximum lifetime'))

      assert_instance_of RedmineApiGuard::SidecarError::Invalid, error, "code #{code}"
      assert_equal 422, error.http_status
      assert_equal 'expiry is beyond the maximum lifetime', error.message
    end
  end

  def test_from_should_map_not_found_to_not_found
    error = RedmineApiGuard::SidecarError.from(bad_status(CODES::NOT_FOUND, 'token 12 not found'))

    assert_instance_of RedmineApiGuard::SidecarError::NotFound, error
    assert_equal 404, error.http_status
    assert_equal 'token 12 not found', error.message
  end

  def test_from_should_map_other_codes_to_a_plain_sidecar_error
    [CODES::INTERNAL, CODES::UNKNOWN, CODES::PERMISSION_DENIED, CODES::UNIMPLEMENTED].each do |code|
      error = RedmineApiGuard::SidecarError.from(bad_status(code, 'boom'))

      assert_instance_of RedmineApiGuard::SidecarError, error, "code #{code}"
      assert_equal 500, error.http_status
    end
  end

  def test_from_should_map_a_failure_without_status_to_unavailable
    error = RedmineApiGuard::SidecarError.from(GRPC::Core::CallError.new('call failed'))

    assert_instance_of RedmineApiGuard::SidecarError::Unavailable, error
    assert_equal 'call failed', error.message
  end

  def test_every_error_should_be_a_sidecar_error
    [RedmineApiGuard::SidecarError::Unavailable, RedmineApiGuard::SidecarError::Invalid,
     RedmineApiGuard::SidecarError::NotFound].each do |klass|
      assert_operator klass, :<, RedmineApiGuard::SidecarError
    end
  end

  private

  def bad_status(code, details)
    GRPC::BadStatus.new_status_exception(code, details)
  end
end
