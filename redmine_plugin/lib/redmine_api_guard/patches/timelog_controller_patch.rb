# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # GET /time_entries/:id checks only the project permission before 6.1;
    # under a restricted token the entry must also be visible (its issue's
    # tracker), as Redmine 6.1 checks for everyone.
    module TimelogControllerPatch
      private

      def find_time_entry
        super
        return if performed? || @time_entry.nil? || !RedmineApiGuard::Restriction.current || @time_entry.visible?

        render_403
      end
    end
  end
end
