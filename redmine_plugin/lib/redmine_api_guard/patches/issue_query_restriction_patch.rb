# frozen_string_literal: true

module RedmineApiGuard
  module Patches
    # The relation filters of issue queries (relates, blocks, precedes...)
    # look at the issue on the other side: related to an issue of project 2,
    # blocked by an open issue. Under a restricted token they see only the
    # relations whose two issues the token can see, as if the others did not
    # exist (saved queries included).
    module IssueQueryRestrictionPatch
      # IssueQuery aliases one filter method per relation type to
      # sql_for_relations when the class is defined; an alias keeps the
      # original method, so each is pointed at the narrowed one again.
      IssueRelation::TYPES.each_key do |relation_type|
        define_method("sql_for_#{relation_type}_field") do |field, operator, value|
          sql_for_relations(field, operator, value)
        end
      end

      def sql_for_relations(field, operator, value, options = {})
        sql = super
        # Symmetric relations call this again for the reverse side: the outer
        # call rewrites both.
        return sql if options[:reverse] || !sql.is_a?(String) || !RedmineApiGuard::Restriction.current

        visible = Issue.visible.select(:id).to_sql
        relations = IssueRelation.table_name
        sql.gsub("FROM #{relations}",
                 "FROM (SELECT * FROM #{relations} WHERE issue_from_id IN (#{visible}) " \
                 "AND issue_to_id IN (#{visible})) #{relations}")
      end
    end
  end
end
