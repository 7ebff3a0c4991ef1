import type { Pool, PoolConnection } from 'mysql2';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/database-config';
import { FailedPreconditionError } from '../domain/errors/failed-precondition-error';
import { createDataSource } from './data-source';
import { findSchemaProblems, MIGRATE_HINT } from './schema-check';
import { translateStorageError } from './storage-errors';

const READ_UNCOMMITTED = 'SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED';

/**
 * Connects to Redmine's database and checks that the schema the sidecar needs
 * is there; says which migration to run when it is not.
 */
export async function openDatabase(config: DatabaseConfig): Promise<DataSource> {
  const db = createDataSource(config);
  try {
    await db.initialize();
  } catch (error) {
    translateStorageError(error);
  }
  if (config.readUncommitted) await readUncommittedSessions(db);

  const problems = await findSchemaProblems(db);
  if (problems.length > 0) {
    await db.destroy();
    throw new FailedPreconditionError(`database ${config.database}: ${problems.join('; ')}; ${MIGRATE_HINT}`);
  }
  return db;
}

/**
 * Redmine's own test suite keeps fixtures and per-test records in open
 * transactions; the sidecar sees them only when it reads uncommitted rows.
 * Never used outside that harness.
 */
async function readUncommittedSessions(db: DataSource): Promise<void> {
  const pool = (db.driver as unknown as { pool: Pool }).pool;
  pool.on('connection', (connection: PoolConnection) => {
    connection.query(READ_UNCOMMITTED);
  });
  // The one connection TypeORM opened to check the credentials is idle in the pool.
  await db.query(READ_UNCOMMITTED);
}

/** True when the database answers a ping within a second (for the metrics). */
export async function databaseAnswers(db: DataSource): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), 1000);
  });
  try {
    return await Promise.race([db.query('SELECT 1').then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
