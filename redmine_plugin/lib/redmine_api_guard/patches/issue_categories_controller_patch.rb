# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Deleting an issue category clears it from (or moves to another
    # category) every issue that has it, of every tracker, without their
    # validations: refused to a restricted token when one of them is hidden.
    module IssueCategoriesControllerPatch
      def destroy
        if RedmineApiGuard::Restriction.current && @category &&
           RedmineApiGuard::Restriction.hidden?(@category.issues)
          api_guard_render(403, l(:error_api_guard_beyond_restriction))
        else
          super
        end
      end
    end
  end
end
