# frozen_string_literal: true

module RedmineApiGuard
  # Errors of sidecar calls, one class per gRPC status family. The mapping from
  # gRPC codes lives here and nowhere else.
  class SidecarError < StandardError
    # The sidecar cannot answer (down, deadline passed): fail closed with 503.
    class Unavailable < SidecarError
      def http_status
        503
      end
    end

    # The request was refused (bad name, expiry beyond the maximum...): 422.
    class Invalid < SidecarError
      def http_status
        422
      end
    end

    class NotFound < SidecarError
      def http_status
        404
      end
    end

    def http_status
      500
    end

    # Returns the error to raise for a GRPC::BadStatus (or any other failure).
    def self.from(error)
      return Unavailable.new(error.message) unless error.is_a?(GRPC::BadStatus)

      codes = GRPC::Core::StatusCodes
      klass =
        case error.code
        when codes::UNAVAILABLE, codes::DEADLINE_EXCEEDED, codes::CANCELLED, codes::RESOURCE_EXHAUSTED
          Unavailable
        when codes::INVALID_ARGUMENT, codes::ALREADY_EXISTS, codes::FAILED_PRECONDITION
          Invalid
        when codes::NOT_FOUND
          NotFound
        else
          SidecarError
        end
      klass.new(error.details.to_s)
    end
  end
end
