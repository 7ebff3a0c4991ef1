import type { DataSource } from 'typeorm';
import type { UserStore } from '../domain/stores';
import { userStatusFromRedmine, type UserState } from '../domain/user';
import { RedmineUserEntity } from './entities/redmine-user-row';
import { guarded } from './storage-errors';

export class MysqlUserStore implements UserStore {
  constructor(private readonly db: DataSource) {}

  /** Returns null for ids that are not real users (groups, anonymous). */
  findState(userId: number): Promise<UserState | null> {
    return guarded(async () => {
      const row = await this.db.getRepository(RedmineUserEntity).findOneBy({ id: userId });
      if (!row || row.type !== 'User') return null;
      return { id: row.id, login: row.login, status: userStatusFromRedmine(row.status) };
    });
  }
}
