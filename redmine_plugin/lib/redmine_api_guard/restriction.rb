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

    # Narrows `condition` for the current request's restriction when it is
    # built for the current user; the block picks the ids (projects, trackers).
    def self.narrow_for(user, condition, column)
      restriction = current
      return condition unless restriction && user == User.current

      narrow(condition, column, yield(restriction))
    end

    # SQL narrowing a condition to the allowed ids of a column.
    def self.narrow(condition, column, ids)
      return condition if ids.nil?

      "(#{condition}) AND #{column} IN (#{ids.empty? ? '0' : ids.map(&:to_i).join(',')})"
    end
  end
end
