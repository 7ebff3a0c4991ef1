# frozen_string_literal: true

# Run with `rails runner` on a seeded instance (scripts/seed.rb): checks that
# RedmineApiGuard::ScopeCompat narrows permissions the same way on every
# Redmine version. Prints one line and exits non-zero on the first mismatch.
alice = User.find_by_login!('alice')
admin = User.find_by_login!('admin')
project = Project.find_by_identifier!('demo')
checks = []
check = ->(label, actual, expected) { checks << [label, actual == expected] }

check.call('unscoped member may add issues', alice.allowed_to?(:add_issues, project), true)
RedmineApiGuard::ScopeCompat.apply(alice, %w[view_issues])
check.call('view_issues scope allows viewing', alice.allowed_to?(:view_issues, project), true)
check.call('view_issues scope refuses adding', alice.allowed_to?(:add_issues, project), false)
check.call('scope covers controller actions',
           alice.allowed_to?({ controller: 'issues', action: 'index' }, project), true)
check.call('scope refuses other controller actions',
           alice.allowed_to?({ controller: 'issues', action: 'create' }, project), false)
RedmineApiGuard::ScopeCompat.apply(admin, %w[view_issues])
check.call('admin without admin scope is no admin', admin.admin?, false)
admin = User.find_by_login!('admin')
RedmineApiGuard::ScopeCompat.apply(admin, %w[admin view_issues])
check.call('admin scope keeps admin', admin.admin?, true)

failed = checks.reject(&:last).map(&:first)
mode = RedmineApiGuard::ScopeCompat.native? ? 'oauth_scope' : 'UserScopePatch'
puts "SCOPE_COMPAT redmine=#{Redmine::VERSION} via=#{mode} checks=#{checks.size} failed=#{failed.inspect}"
exit(failed.empty? ? 0 : 1)
