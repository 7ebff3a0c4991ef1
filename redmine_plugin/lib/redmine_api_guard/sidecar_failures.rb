# frozen_string_literal: true

module RedmineApiGuard
  # Controller concern of the token pages: every sidecar failure becomes a page
  # with its status (503 unavailable, 404, 422), never a 500; ids outside what
  # the wire format carries are a 404 without any call.
  module SidecarFailures
    extend ActiveSupport::Concern

    MAX_ID = (2**32) - 1

    included do
      rescue_from RedmineApiGuard::SidecarError, with: :api_guard_sidecar_failed
    end

    private

    def api_guard_token_id
      id = params[:id].to_s
      raise ActiveRecord::RecordNotFound unless /\A[1-9]\d{0,9}\z/.match?(id) && id.to_i <= MAX_ID

      id.to_i
    end

    def api_guard_sidecar_failed(error)
      case error
      when RedmineApiGuard::SidecarError::NotFound then render_404
      when RedmineApiGuard::SidecarError::Unavailable then api_guard_unavailable_page
      else
        logger&.error("[redmine_api_guard] sidecar refused: #{error.class.name}: #{error.message}")
        render_error message: error.message, status: error.http_status == 500 ? 503 : error.http_status
      end
    end
  end
end
