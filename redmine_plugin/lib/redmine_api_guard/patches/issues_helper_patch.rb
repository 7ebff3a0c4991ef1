# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # Under a restricted token:
    # - an issue's children in the API (include=children), listed with their
    #   subjects whatever their visibility, are those the token can see;
    # - the history of an issue (journals, Atom, PDF) names a version or a
    #   category of another project by its id only, as core does for projects.
    module IssuesHelperPatch
      def render_api_issue_children(issue, api)
        return super unless RedmineApiGuard::Restriction.current

        super(RedmineApiGuard::VisibleChildren.new(issue), api)
      end

      def find_name_by_reflection(field, id)
        name = super
        return name unless name && RedmineApiGuard::Restriction.current

        visible =
          case field.to_s.delete_suffix('_id')
          when 'fixed_version' then Version.visible.where(id: id)
          when 'category' then IssueCategory.joins(:project).where(Project.visible_condition(User.current)).where(id: id)
          end
        visible.nil? || visible.exists? ? name : nil
      end
    end
  end
end
