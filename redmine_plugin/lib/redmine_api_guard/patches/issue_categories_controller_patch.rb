# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Deleting an issue category clears it from (or moves to another
    # category) every issue that has it, of every tracker, without their
    # validations: refused to a restricted token when one of them is hidden.
    module IssueCategoriesControllerPatch
      def destroy
        api_guard_refuse_beyond { @category && RedmineApiGuard::Restriction.hidden?(@category.issues) } || super
      end
    end
  end
end
