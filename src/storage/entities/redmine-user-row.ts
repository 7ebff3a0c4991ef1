import { EntitySchema } from 'typeorm';

/** The columns of Redmine's `users` table that the sidecar reads. */
export interface RedmineUserRow {
  id: number;
  login: string;
  status: number;
  type: string;
}

export const RedmineUserEntity = new EntitySchema<RedmineUserRow>({
  name: 'RedmineUser',
  tableName: 'users',
  columns: {
    id: { type: 'int', primary: true },
    login: { type: 'varchar' },
    status: { type: 'int' },
    type: { type: 'varchar' },
  },
});
