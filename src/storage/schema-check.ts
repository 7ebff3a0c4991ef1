import type { DataSource } from 'typeorm';

/**
 * Columns the sidecar relies on, per table. The plugin's migrations create
 * the api_guard_* tables; the others are Redmine's own.
 */
export const REQUIRED_SCHEMA: Record<string, string[]> = {
  api_guard_tokens: [
    'id', 'user_id', 'name', 'token_digest', 'display_prefix', 'scopes', 'created_on',
    'updated_on', 'expires_on', 'last_used_on', 'last_used_ip', 'revoked_on', 'revoked_by_id',
  ],
  api_guard_token_projects: ['token_id', 'project_id', 'include_subprojects'],
  api_guard_token_trackers: ['token_id', 'tracker_id'],
  users: ['id', 'login', 'status', 'type'],
  tokens: ['id', 'user_id', 'action', 'value'],
  settings: ['id', 'name', 'value'],
};

export const MIGRATE_HINT =
  'run the plugin migrations in Redmine\'s directory: ' +
  'RAILS_ENV=production bundle exec rake redmine:plugins:migrate NAME=redmine_api_guard ' +
  '(Debian: add SCHEMA=/dev/null)';

/** Returns one line per missing table or column; empty when all is there. */
export async function findSchemaProblems(db: DataSource): Promise<string[]> {
  const rows: Array<{ table_name: string; column_name: string }> = await db.query(
    `SELECT table_name AS table_name, column_name AS column_name
       FROM information_schema.columns
      WHERE table_schema = DATABASE() AND table_name IN (?)`,
    [Object.keys(REQUIRED_SCHEMA)],
  );
  const present = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(REQUIRED_SCHEMA)) {
    const missing = columns.filter((c) => !present.has(`${table}.${c}`));
    if (missing.length === columns.length) problems.push(`table ${table} is missing`);
    else if (missing.length > 0) problems.push(`table ${table} lacks ${missing.join(', ')}`);
  }
  return problems;
}
