import { EntitySchema } from 'typeorm';

/** A row of `api_guard_tokens`, defined by the plugin's migrations. */
export interface ApiGuardTokenRow {
  id: string; // BIGINT arrives as a string from mysql2
  user_id: number;
  name: string;
  token_digest: string;
  display_prefix: string;
  scopes: string | null;
  created_on: Date;
  updated_on: Date;
  expires_on: Date;
  last_used_on: Date | null;
  last_used_ip: string | null;
  revoked_on: Date | null;
  revoked_by_id: number | null;
}

export const ApiGuardTokenEntity = new EntitySchema<ApiGuardTokenRow>({
  name: 'ApiGuardToken',
  tableName: 'api_guard_tokens',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    user_id: { type: 'int' },
    name: { type: 'varchar' },
    token_digest: { type: 'varchar' },
    display_prefix: { type: 'varchar' },
    scopes: { type: 'text', nullable: true },
    created_on: { type: 'datetime' },
    updated_on: { type: 'datetime' },
    expires_on: { type: 'datetime' },
    last_used_on: { type: 'datetime', nullable: true },
    last_used_ip: { type: 'varchar', nullable: true },
    revoked_on: { type: 'datetime', nullable: true },
    revoked_by_id: { type: 'int', nullable: true },
  },
});
