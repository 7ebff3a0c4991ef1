# frozen_string_literal: true

require File.expand_path('../../test_helper', __FILE__)

class RedmineApiGuard::RestrictionTest < ActiveSupport::TestCase
  fixtures :projects, :users, :email_addresses, :members, :member_roles, :roles, :trackers, :projects_trackers,
           :enabled_modules, :issue_statuses, :issues, :enumerations, :time_entries, :issue_categories, :versions,
           :workflows

  Restriction = RedmineApiGuard::Restriction

  def setup
    User.current = User.find(2)
  end

  def teardown
    User.current = nil
  end

  def test_in_list_should_build_an_id_list_and_match_nothing_when_empty
    assert_equal 'issues.tracker_id IN (1,2)', Restriction.in_list('issues.tracker_id', [1, 2])
    assert_equal 'issues.tracker_id IN (0)', Restriction.in_list('issues.tracker_id', [])
    assert_nil Restriction.in_list('issues.tracker_id', nil)
  end

  def test_narrow_for_should_leave_other_users_conditions_alone
    Restriction.new([1], nil).apply(User.current)

    assert_equal '1=1', Restriction.narrow_for(User.find(3), '1=1') { 'x' }
    assert_equal '(1=1) AND x', Restriction.narrow_for(User.current, '1=1') { 'x' }
  end

  def test_time_entries_on_issues_of_other_trackers_should_not_be_visible
    all = TimeEntry.visible.to_a
    Restriction.new(nil, [2]).apply(User.current)
    narrowed = TimeEntry.visible.to_a

    assert narrowed.size < all.size
    assert narrowed.all? { |entry| entry.issue.nil? || entry.issue.tracker_id == 2 }
    assert_not TimeEntry.find(1).visible?
  end

  def test_allowed_target_trackers_should_keep_only_the_restricted_trackers
    Restriction.new(nil, [2]).apply(User.current)

    assert_equal [2], Issue.allowed_target_trackers(Project.find(1)).map(&:id)
  end

  def test_a_tracker_outside_the_restriction_should_make_the_issue_invalid
    Restriction.new(nil, [2]).apply(User.current)
    issue = Issue.new(project: Project.find(1), author: User.current)
    issue.safe_attributes = {'tracker_id' => '1', 'subject' => 'refused'}

    assert_not issue.valid?
    assert_includes issue.errors.attribute_names, :tracker_id
  end

  def test_a_tracker_inside_the_restriction_should_be_accepted
    Restriction.new(nil, [2]).apply(User.current)
    issue = Issue.new(project: Project.find(1), author: User.current)
    issue.safe_attributes = {'tracker_id' => '2', 'subject' => 'accepted'}

    issue.valid?

    assert_equal 2, issue.tracker_id
    assert_not_includes issue.errors.attribute_names, :tracker_id
  end

  def test_an_issue_moved_to_a_project_without_its_tracker_should_not_take_another_tracker
    Restriction.new(nil, [2]).apply(User.current)
    issue = Issue.find(2)
    issue.project = Project.find(6) # has only tracker 1: Redmine switches to it

    assert_not issue.valid?
    assert_includes issue.errors.attribute_names, :tracker_id
  end

  def test_request_parameters_should_be_checked_like_a_hash
    Restriction.new(nil, [2]).apply(User.current)
    issue = Issue.new(project: Project.find(1), author: User.current)
    issue.safe_attributes = ActionController::Parameters.new('tracker_id' => '1', 'subject' => 'refused')

    assert_not issue.valid?
  end

  def test_without_a_tracker_restriction_issues_and_time_entries_should_be_stock
    trackers = Issue.allowed_target_trackers(Project.find(1)).map(&:id)
    issue = Issue.new(project: Project.find(1), author: User.current)
    issue.safe_attributes = {'tracker_id' => '1', 'subject' => 'stock'}
    issue.valid?

    assert_equal [1, 2, 3], trackers.sort
    assert_not_includes issue.errors.attribute_names, :tracker_id
    assert_nil Restriction.new([1], nil).time_entries_condition
  end

  def test_another_users_trackers_should_not_be_narrowed
    Restriction.new(nil, [2]).apply(User.current)

    assert_operator Issue.allowed_target_trackers(Project.find(1), User.find(1)).count, :>, 1
  end

  def test_a_project_outside_the_restriction_should_make_the_issue_invalid
    Restriction.new([1], nil).apply(User.current)
    %w[2 onlinestore].each do |project|
      issue = Issue.find(1)
      issue.safe_attributes = {'project_id' => project}

      assert_not issue.valid?, project
      assert_includes issue.errors.attribute_names, :project_id
    end
    issue = Issue.find(1)
    issue.safe_attributes = {'project_id' => '1', 'subject' => 'same project'}
    issue.valid?
    assert_not_includes issue.errors.attribute_names, :project_id
  end

  def test_a_versions_spent_hours_should_count_only_visible_time
    TimeEntry.generate!(issue: Issue.find(12), hours: 3)
    TimeEntry.generate!(issue: Issue.find(2), hours: 4)
    assert_equal 7.0, Version.find(2).spent_hours

    Restriction.new(nil, [1]).apply(User.current)
    assert_equal 3.0, Version.find(2).spent_hours
  end

  def test_total_spent_hours_should_count_only_visible_children
    parent = Issue.generate!(project_id: 1, tracker_id: 1)
    child = Issue.generate!(project_id: 1, tracker_id: 2, parent_issue_id: parent.id)
    TimeEntry.generate!(issue: parent, hours: 1)
    TimeEntry.generate!(issue: child, hours: 2)
    assert_equal 3.0, Issue.find(parent.id).total_spent_hours

    Restriction.new(nil, [1]).apply(User.current)
    assert_equal 1.0, Issue.find(parent.id).total_spent_hours
  end

  def test_a_time_entry_should_not_move_out_of_the_restricted_projects
    Restriction.new([1], nil).apply(User.current)
    entry = TimeEntry.find(1)
    entry.issue_id = nil
    entry.project_id = 2

    assert_not entry.valid?
    assert_includes entry.errors.attribute_names, :project_id
  end

  def test_history_should_name_versions_and_categories_of_hidden_projects_by_id_only
    helper = Object.new.extend(IssuesHelper)
    version = Version.find(1) # project 1
    category = IssueCategory.find(1) # project 1
    assert_equal version.name, helper.find_name_by_reflection('fixed_version', version.id)

    Restriction.new([2], nil).apply(User.current)
    helper = Object.new.extend(IssuesHelper)

    assert_nil helper.find_name_by_reflection('fixed_version', version.id)
    assert_nil helper.find_name_by_reflection('category', category.id)
    assert_equal 'Bug', helper.find_name_by_reflection('tracker', 1)
  end

  def test_deleting_a_project_should_reach_subtasks_relations_and_versions_elsewhere
    restriction = Restriction.new([2], nil)
    restriction.apply(User.current)
    project = Project.find(2)
    assert_not restriction.beyond_project_deletion?(project)

    with_settings cross_project_subtasks: 'system' do
      parent = Issue.generate!(project: project)
      child = Issue.generate!(project_id: 1, parent_issue_id: parent.id)
      assert restriction.beyond_project_deletion?(project), 'subtask in project 1'
      child.destroy
    end
    assert_not restriction.beyond_project_deletion?(project)

    version = Version.generate!(project: project, sharing: 'system')
    Issue.generate!(project_id: 1, fixed_version_id: version.id)
    assert restriction.beyond_project_deletion?(project), 'version set in project 1'
  end
end
