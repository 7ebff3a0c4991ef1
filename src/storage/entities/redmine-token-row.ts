import { EntitySchema } from 'typeorm';

/** Redmine's own `tokens` table (API keys, RSS keys, autologin...). */
export interface RedmineTokenRow {
  id: number;
  user_id: number;
  action: string;
  value: string;
}

export const RedmineTokenEntity = new EntitySchema<RedmineTokenRow>({
  name: 'RedmineToken',
  tableName: 'tokens',
  columns: {
    id: { type: 'int', primary: true },
    user_id: { type: 'int' },
    action: { type: 'varchar' },
    value: { type: 'varchar' },
  },
});
