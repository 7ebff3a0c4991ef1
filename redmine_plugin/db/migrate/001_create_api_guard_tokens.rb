# frozen_string_literal: true

# Personal access tokens. Only the SHA-256 digest of a token is stored, never
# its plaintext. Rows are kept after revocation and expiry for the audit trail.
class CreateApiGuardTokens < ActiveRecord::Migration[5.2]
  def change
    create_table :api_guard_tokens do |t|
      t.integer :user_id, null: false
      t.string :name, null: false, limit: 100
      t.string :token_digest, null: false, limit: 64
      t.string :display_prefix, null: false, limit: 16
      # JSON array of permission names; NULL means every permission of the owner.
      t.text :scopes
      t.datetime :created_on, null: false
      t.datetime :updated_on, null: false
      t.datetime :expires_on, null: false
      t.datetime :last_used_on
      t.string :last_used_ip, limit: 45
      t.datetime :revoked_on
      t.integer :revoked_by_id
    end
    add_index :api_guard_tokens, :token_digest, unique: true
    add_index :api_guard_tokens, [:user_id, :revoked_on]
    add_index :api_guard_tokens, :expires_on
  end
end
