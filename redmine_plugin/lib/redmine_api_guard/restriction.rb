# frozen_string_literal: true

module RedmineApiGuard
  # The project and tracker restriction of the current request's token, kept
  # on the request's user (like RequestCredential) and applied inside Redmine:
  # permission checks on other projects fail, and listings across projects are
  # narrowed to the allowed projects and trackers.
  class Restriction
    IVAR = :@api_guard_restriction

    attr_reader :project_ids, :tracker_ids

    # Returns nil when the answer restricts nothing.
    def self.from_answer(answer)
      return nil if answer.projects.empty? && answer.tracker_ids.empty?

      new(expand(answer.projects), answer.tracker_ids.to_a.presence)
    end

    # Project ids allowed: the named ones, plus descendants where included.
    def self.expand(projects)
      return nil if projects.empty?

      ids = projects.map(&:project_id)
      Project.where(id: projects.select(&:include_subprojects).map(&:project_id)).each do |project|
        ids.concat(project.descendants.pluck(:id))
      end
      ids.uniq
    end

    def self.current
      User.current.instance_variable_get(IVAR)
    end

    def initialize(project_ids, tracker_ids)
      @project_ids = project_ids
      @tracker_ids = tracker_ids
    end

    def apply(user)
      user.instance_variable_set(IVAR, self)
    end

    def project_allowed?(project)
      project_ids.nil? || project_ids.include?(project.id)
    end

    def tracker_allowed?(tracker_id)
      tracker_ids.nil? || tracker_ids.include?(tracker_id)
    end

    # Some changes reach further than the record they are made on: closing or
    # deleting a project reaches its subprojects and every tracker's issues,
    # members of a project are inherited by subprojects, deleting or moving an
    # issue takes its subtasks along, rescheduling moves the issues that
    # follow, and a subtask's dates or priority change a parent's. A
    # restricted token may make such a change only when all it reaches lies
    # within the restriction.

    # True when a change to the whole of `project` reaches beyond the restriction.
    def beyond_project?(project)
      !tracker_ids.nil? || outside_subprojects(project).exists?
    end

    # True when deleting `project` reaches beyond the restriction: besides
    # the above, its issues' subtasks, parents and relations in other projects
    # and its versions set on issues elsewhere go with it.
    def beyond_project_deletion?(project)
      return true if beyond_project?(project)

      ids = project.self_and_descendants.pluck(:id)
      issues = Issue.where(project_id: ids)
      related = IssueRelation.where(issue_from_id: issues.select(:id)).pluck(:issue_to_id) +
                IssueRelation.where(issue_to_id: issues.select(:id)).pluck(:issue_from_id)
      Restriction.hidden?(Issue.where(root_id: issues.select(:root_id))) ||
        Restriction.hidden?(Issue.where(id: related)) ||
        Restriction.hidden?(Issue.where(fixed_version_id: Version.where(project_id: ids).select(:id)))
    end

    # Subprojects of `project` outside the restriction.
    def outside_subprojects(project)
      return Project.none if project_ids.nil?

      project.descendants.where.not(id: project_ids)
    end

    # True when some of `issues` lies outside the current restriction (its
    # projects and trackers; what the owner may see is Redmine's business).
    def self.hidden?(issues)
      restriction = current
      return false unless restriction

      inside = [in_list("#{Issue.table_name}.project_id", restriction.project_ids),
                in_list("#{Issue.table_name}.tracker_id", restriction.tracker_ids)].compact
      issues.where.not(inside.join(' AND ')).exists?
    end

    FOLLOWERS_LIMIT = 200

    # True when rescheduling `issue` moves an issue the token cannot see:
    # Redmine moves the leaves of its subtree, then follows "precedes"
    # relations and the subtrees they reach (bounded: past the limit, true).
    def self.hidden_reschedule?(issue)
      seen = issue.self_and_descendants.pluck(:id)
      return true if hidden?(Issue.where(id: seen))

      hidden_followers?(seen)
    end

    # True when an issue following one of `issue_ids` (through "precedes"
    # relations, with the subtasks of each) is hidden.
    def self.hidden_followers?(issue_ids)
      seen = issue_ids.dup
      frontier = issue_ids
      until frontier.empty?
        followers = IssueRelation.where(relation_type: IssueRelation::TYPE_PRECEDES, issue_from_id: frontier)
                                 .limit(FOLLOWERS_LIMIT + 1).pluck(:issue_to_id) - seen
        return false if followers.empty?
        return true if seen.size + followers.size > FOLLOWERS_LIMIT

        frontier = subtrees(followers) - seen
        seen.concat(frontier)
        return true if seen.size > FOLLOWERS_LIMIT || hidden?(Issue.where(id: frontier))
      end
      false
    end

    # Ids of `issue_ids` and all their descendants, in one query.
    def self.subtrees(issue_ids)
      table = Issue.table_name
      Issue.joins("INNER JOIN #{table} tops ON tops.root_id = #{table}.root_id " \
                  "AND tops.lft <= #{table}.lft AND tops.rgt >= #{table}.rgt")
           .where(tops: { id: issue_ids }).distinct.limit(FOLLOWERS_LIMIT + 1).pluck(:id)
    end

    # Narrows `condition` for the current request's restriction when it is
    # built for the current user; the block gives the SQL to add (nil: none).
    def self.narrow_for(user, condition)
      restriction = current
      return condition unless restriction && user == User.current

      extra = yield(restriction)
      extra ? "(#{condition}) AND #{extra}" : condition
    end

    # SQL keeping the rows whose column holds one of the ids (nil: all rows).
    def self.in_list(column, ids)
      return nil if ids.nil?

      "#{column} IN (#{ids.empty? ? '0' : ids.map(&:to_i).join(',')})"
    end

    # SQL keeping time entries on no issue or on an issue of the allowed trackers.
    def time_entries_condition
      return nil unless tracker_ids

      issues = "SELECT id FROM #{Issue.table_name} WHERE #{self.class.in_list('tracker_id', tracker_ids)}"
      "(#{TimeEntry.table_name}.issue_id IS NULL OR #{TimeEntry.table_name}.issue_id IN (#{issues}))"
    end
  end
end
