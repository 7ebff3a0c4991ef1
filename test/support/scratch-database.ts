import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../../src/config/database-config';

const SOCKET = process.env.APIGUARD_IT_SOCKET ?? '/run/mysqld/mysqld.sock';
export const TABLES = [
  'users', 'tokens', 'settings', 'api_guard_tokens', 'api_guard_token_projects', 'api_guard_token_trackers',
];

/**
 * A fresh database per test file whose tables are copied (structure only)
 * from a database migrated by Redmine and the plugin (APIGUARD_IT_TEMPLATE_DB,
 * set by `make test`), so the tests run on the real schema.
 */
export class ScratchDatabase {
  readonly name = `apiguard_it_${randomBytes(4).toString('hex')}`;
  private admin!: mysql.Connection;
  db!: mysql.Connection;

  static template(): string {
    const template = process.env.APIGUARD_IT_TEMPLATE_DB;
    if (!template) throw new Error('APIGUARD_IT_TEMPLATE_DB is not set: run these tests through make test');
    return template;
  }

  async create(tables: string[] = TABLES): Promise<this> {
    const template = ScratchDatabase.template();
    this.admin = await mysql.createConnection({ socketPath: SOCKET, user: 'root' });
    await this.admin.query(`CREATE DATABASE \`${this.name}\` CHARACTER SET utf8mb4`);
    for (const table of tables) {
      await this.admin.query(`CREATE TABLE \`${this.name}\`.\`${table}\` LIKE \`${template}\`.\`${table}\``);
    }
    this.db = await mysql.createConnection({
      socketPath: SOCKET, user: 'root', database: this.name, timezone: 'Z',
    });
    return this;
  }

  config(overrides: Partial<DatabaseConfig> = {}): DatabaseConfig {
    return {
      socket: SOCKET, username: 'root', database: this.name, poolSize: 4,
      connectTimeoutMs: 2000, readUncommitted: false, ...overrides,
    };
  }

  /** Inserts a Redmine user row; status 1 active, 3 locked. */
  async addUser(id: number, status = 1, type = 'User'): Promise<void> {
    await this.db.query(
      `INSERT INTO users (id, login, hashed_password, firstname, lastname, admin, status, type, created_on, updated_on)
       VALUES (?, ?, '', 'F', 'L', 0, ?, ?, NOW(), NOW())`,
      [id, `user${id}`, status, type],
    );
  }

  async addLegacyKey(userId: number, value: string): Promise<void> {
    await this.db.query(
      `INSERT INTO tokens (user_id, action, value, created_on, updated_on) VALUES (?, 'api', ?, NOW(), NOW())`,
      [userId, value],
    );
  }

  async drop(): Promise<void> {
    await this.db?.end();
    await this.admin?.query(`DROP DATABASE IF EXISTS \`${this.name}\``);
    await this.admin?.end();
  }
}
