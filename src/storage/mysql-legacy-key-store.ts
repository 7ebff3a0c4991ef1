import type { DataSource } from 'typeorm';
import type { LegacyKeyStore } from '../domain/stores';
import { RedmineTokenEntity } from './entities/redmine-token-row';
import { guarded } from './storage-errors';

/**
 * Redmine keeps its API keys in plaintext in `tokens`; the sidecar only reads
 * them, so that every API credential passes the same gate.
 */
export class MysqlLegacyKeyStore implements LegacyKeyStore {
  constructor(private readonly db: DataSource) {}

  findUserIdByKey(key: string): Promise<number | null> {
    return guarded(async () => {
      const row = await this.db
        .getRepository(RedmineTokenEntity)
        .findOneBy({ action: 'api', value: key });
      return row ? row.user_id : null;
    });
  }
}
