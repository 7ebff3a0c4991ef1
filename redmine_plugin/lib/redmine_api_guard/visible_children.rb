# frozen_string_literal: true

module RedmineApiGuard
  # An issue as the API's children tree sees it: only its visible children
  # (what Redmine 6.1 lists itself; 5.0 and 6.0 list them all).
  class VisibleChildren < SimpleDelegator
    # A relation, not an array: Redmine 6.1's helper chains `.visible` itself.
    def children
      @children ||= __getobj__.children.visible
    end

    def leaf?
      children.empty?
    end
  end
end
