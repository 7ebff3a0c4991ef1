# frozen_string_literal: true

# The projects (each with or without its subprojects) and trackers a token is
# restricted to. No row: no restriction of that kind.
class CreateApiGuardTokenRestrictions < ActiveRecord::Migration[5.2]
  def change
    create_table :api_guard_token_projects do |t|
      t.bigint :token_id, null: false
      t.integer :project_id, null: false
      t.boolean :include_subprojects, null: false, default: false
    end
    add_index :api_guard_token_projects, [:token_id, :project_id], unique: true

    create_table :api_guard_token_trackers do |t|
      t.bigint :token_id, null: false
      t.integer :tracker_id, null: false
    end
    add_index :api_guard_token_trackers, [:token_id, :tracker_id], unique: true
  end
end
