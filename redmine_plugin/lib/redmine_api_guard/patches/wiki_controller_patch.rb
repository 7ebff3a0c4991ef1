# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Updating a wiki page follows a redirect left by a page moved to another
    # project's wiki, while the permission checked is this project's: under
    # a restricted token, a page reached in a project outside the restriction
    # is refused.
    module WikiControllerPatch
      def update
        restriction = RedmineApiGuard::Restriction.current
        page = restriction && @wiki&.find_page(params[:id].to_s)
        if page && !restriction.project_allowed?(page.wiki.project)
          api_guard_refuse_other_project
        else
          super
        end
      end
    end
  end
end
