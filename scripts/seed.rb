# frozen_string_literal: true

# Seeds a harness instance (run with `rails runner`; again and again: a
# password already right is left alone, so web sessions survive): REST API on, an admin
# that can log in as admin / admin-demo-pass, a member "alice", a manager
# "manny", projects with issues.
# With TOKEN_NAME set, creates a fresh personal access token for alice through
# the plugin's sidecar client and prints it as TOKEN=<plaintext>; an older
# active token of that name is revoked first, so re-running is safe.

Setting.rest_api_enabled = '1'
Setting.login_required = '0'

# An active demo user with a known password (left alone when already right,
# so that web sessions survive a second run).
demo_user = lambda do |login, firstname, lastname|
  user = User.find_by_login(login) || User.new.tap do |u|
    u.login = login
    u.firstname = firstname
    u.lastname = lastname
    u.mail = "#{login}@example.net"
  end
  password = "#{login}-demo-pass"
  user.password = user.password_confirmation = password unless user.check_password?(password)
  user.must_change_passwd = false
  user.status = User::STATUS_ACTIVE
  user.save!
  user
end

admin = demo_user.call('admin', 'Redmine', 'Admin') # Redmine's own, created by its migrations
alice = demo_user.call('alice', 'Alice', 'Demo')

project = Project.find_by_identifier('demo') || Project.create!(
  name: 'Demo project', identifier: 'demo', is_public: false,
  tracker_ids: Tracker.pluck(:id), enabled_module_names: %w[issue_tracking time_tracking wiki news]
)
role = Role.givable.find_by(name: 'Developer') || Role.givable.first
Member.create!(project: project, principal: alice, role_ids: [role.id]) unless project.users.include?(alice)

if project.issues.count < 3
  status = IssueStatus.first
  priority = IssuePriority.default || IssuePriority.first
  3.times do |i|
    Issue.create!(project: project, tracker: project.trackers.first, author: alice, status: status,
                  priority: priority, subject: "Demo issue #{i + 1}")
  end
end

# A second project and a subproject, with issues of two trackers, for the
# project and tracker restrictions of tokens.
other = Project.find_by_identifier('other') || Project.create!(
  name: 'Other project', identifier: 'other', is_public: false,
  tracker_ids: Tracker.pluck(:id), enabled_module_names: %w[issue_tracking time_tracking]
)
sub = Project.find_by_identifier('demo-sub') || Project.create!(
  name: 'Demo subproject', identifier: 'demo-sub', is_public: false,
  tracker_ids: Tracker.pluck(:id), enabled_module_names: %w[issue_tracking time_tracking]
).tap { |p| p.set_parent!(project) }
[other, sub].each do |p|
  Member.create!(project: p, principal: alice, role_ids: [role.id]) unless p.users.include?(alice)
end
# A manager of the demo tree, for changes that reach further than the record
# they are made on (closing a project, deleting an issue with subtasks).
manny = demo_user.call('manny', 'Manny', 'Manager')
manager = Role.givable.find_by(name: 'Manager') || Role.givable.first
[project, sub].each do |p|
  Member.create!(project: p, principal: manny, role_ids: [manager.id]) unless p.users.include?(manny)
end
trackers = Tracker.sorted.first(2)
[project, other, sub].each do |p|
  trackers.each do |tracker|
    next if p.issues.where(tracker_id: tracker.id).exists?

    Issue.create!(project: p, tracker: tracker, author: alice, status: IssueStatus.first,
                  priority: IssuePriority.default || IssuePriority.first, subject: "#{tracker.name} in #{p.identifier}")
  end
end

[project, other].each do |p|
  next if News.where(project_id: p.id).exists?

  p.enabled_module_names = (p.enabled_module_names + ['news']).uniq
  News.create!(project: p, author: alice, title: "News of #{p.identifier}", description: 'Seeded')
end
[project, other].each do |p|
  Version.create!(project: p, name: "1.0 of #{p.identifier}") unless p.versions.exists?
  next if TimeEntry.where(project_id: p.id).exists?

  TimeEntry.create!(project: p, issue: p.issues.first, user: alice, author: alice, hours: 1, spent_on: Date.today,
                    activity: TimeEntryActivity.shared.active.first)
end

# What a restricted token must not reach through an issue it can see: a
# relation to another project's issue, children in the subproject and of the
# second tracker, time logged on an issue of the second tracker.
Setting.cross_project_issue_relations = '1'
first_in = ->(p, tracker) { p.issues.where(tracker_id: tracker.id).order(:id).first }
parent = first_in.call(project, trackers[0])
related = first_in.call(other, trackers[0])
IssueRelation.find_or_create_by!(issue_from: parent, issue_to: related, relation_type: 'relates')
children = [[sub, trackers[0], 'Child in demo-sub'], [project, trackers[1], "Child of #{trackers[1].name} in demo"]]
children.each do |p, tracker, subject|
  next if Issue.where(subject: subject).exists?

  Issue.create!(project: p, tracker: tracker, author: alice, status: IssueStatus.first, parent_issue_id: parent.id,
                priority: IssuePriority.default || IssuePriority.first, subject: subject)
end
second = first_in.call(project, trackers[1])
unless TimeEntry.where(issue_id: second.id).exists?
  TimeEntry.create!(project: project, issue: second, user: alice, author: alice, hours: 2, spent_on: Date.today,
                    comments: "On #{trackers[1].name} in demo", activity: TimeEntryActivity.shared.active.first)
end

puts "ALICE_ID=#{alice.id}"
puts "ADMIN_API_KEY=#{admin.api_key}"
puts "ALICE_API_KEY=#{alice.api_key}"

if (name = ENV['TOKEN_NAME'].presence)
  client = RedmineApiGuard::SidecarClient.current
  client.list_user_tokens(alice.id, include_revoked: false).each do |token|
    client.revoke_token(token.id, owner_id: alice.id, actor: { user_id: alice.id }) if token.name == name
  end
  created = client.create_token(user_id: alice.id, name: name, expires_at: nil, actor: { user_id: alice.id })
  puts "TOKEN=#{created.plaintext}"
end
