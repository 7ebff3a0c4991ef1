import mysql from 'mysql2/promise';
import { digestOf, displayPrefixOf, generateToken } from '../src/domain/token-format';

const SOCKET = '/run/mysqld/mysqld.sock';
const TABLES = [
  'users', 'tokens', 'settings', 'api_guard_tokens', 'api_guard_token_projects', 'api_guard_token_trackers',
];

/**
 * A database for the benchmark whose tables are copied from one migrated by
 * Redmine and the plugin, filled with one active user and `count` tokens.
 * Returns the tokens' plaintexts (kept in memory by the load generator only).
 */
export async function prepareBenchDatabase(name: string, template: string, count: number): Promise<string[]> {
  const db = await mysql.createConnection({ socketPath: SOCKET, user: 'root', timezone: 'Z' });
  try {
    await db.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await db.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    for (const table of TABLES) {
      await db.query(`CREATE TABLE \`${name}\`.\`${table}\` LIKE \`${template}\`.\`${table}\``);
    }
    await db.query(
      `INSERT INTO \`${name}\`.users (id, login, hashed_password, firstname, lastname, admin, status, type,
        created_on, updated_on) VALUES (1, 'bench', '', 'B', 'Ench', 0, 1, 'User', NOW(), NOW())`,
    );
    const plaintexts = Array.from({ length: count }, generateToken);
    const expires = new Date(Date.now() + 30 * 86_400_000);
    for (let start = 0; start < count; start += 5000) {
      const rows = plaintexts.slice(start, start + 5000).map((token, i) => [
        1, `bench ${start + i}`, digestOf(token), displayPrefixOf(token), new Date(), new Date(), expires,
      ]);
      await db.query(
        `INSERT INTO \`${name}\`.api_guard_tokens
           (user_id, name, token_digest, display_prefix, created_on, updated_on, expires_on) VALUES ?`,
        [rows],
      );
    }
    return plaintexts;
  } finally {
    await db.end();
  }
}

export async function dropBenchDatabase(name: string): Promise<void> {
  const db = await mysql.createConnection({ socketPath: SOCKET, user: 'root' });
  await db.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await db.end();
}
