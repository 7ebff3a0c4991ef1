import { ApiGuardError } from './api-guard-error';

/** The database cannot be reached; the caller should retry later. */
export class StorageUnavailableError extends ApiGuardError {
  readonly kind = 'unavailable' as const;
}
