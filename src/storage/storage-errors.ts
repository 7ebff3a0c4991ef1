import { ApiGuardError } from '../domain/errors/api-guard-error';
import { FailedPreconditionError } from '../domain/errors/failed-precondition-error';
import { StorageUnavailableError } from '../domain/errors/storage-unavailable-error';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT', // unix socket missing
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_ACCESS_DENIED_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
]);
const SCHEMA_CODES = new Set(['ER_NO_SUCH_TABLE', 'ER_BAD_FIELD_ERROR', 'ER_BAD_DB_ERROR']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  const driver = (error as { driverError?: unknown }).driverError;
  return driver === error ? undefined : codeOf(driver);
}

/** Turns driver errors into domain errors; anything else is rethrown as is. */
export function translateStorageError(error: unknown): never {
  if (error instanceof ApiGuardError) throw error;

  const code = codeOf(error);
  if (code && UNAVAILABLE_CODES.has(code)) {
    throw new StorageUnavailableError(`database unavailable (${code})`);
  }
  if (code && SCHEMA_CODES.has(code)) {
    throw new FailedPreconditionError(
      `database schema is incomplete (${code}): run the plugin migrations ` +
        '(bundle exec rake redmine:plugins:migrate)',
    );
  }
  if (error instanceof Error && /connection|pool/i.test(error.message) && !code) {
    throw new StorageUnavailableError('database unavailable');
  }
  // Driver errors carry the SQL and its parameters (a legacy key, digests):
  // only the error's name and code go on, towards the log.
  const name = error instanceof Error ? error.name : typeof error;
  throw new Error(`database error ${code ?? name}`);
}

/** Runs a storage call with driver errors translated. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    return translateStorageError(error);
  }
}
