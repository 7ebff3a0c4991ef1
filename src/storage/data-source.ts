import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/database-config';
import { ApiGuardTokenEntity } from './entities/api-guard-token-row';
import { RedmineSettingEntity } from './entities/redmine-setting-row';
import { RedmineTokenEntity } from './entities/redmine-token-row';
import { RedmineUserEntity } from './entities/redmine-user-row';

export const ENTITIES = [
  ApiGuardTokenEntity,
  RedmineUserEntity,
  RedmineTokenEntity,
  RedmineSettingEntity,
];

/**
 * A TypeORM data source on Redmine's database. Never synchronizes: the
 * plugin's Rails migrations are the one place where tables are defined.
 */
export function createDataSource(config: DatabaseConfig): DataSource {
  return new DataSource({
    type: 'mysql',
    connectorPackage: 'mysql2',
    host: config.host,
    port: config.port,
    socketPath: config.socket,
    username: config.username,
    password: config.password,
    database: config.database,
    charset: 'utf8mb4',
    timezone: 'Z', // Redmine stores UTC
    entities: ENTITIES,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: config.poolSize,
    connectTimeout: config.connectTimeoutMs,
  });
}
