import { ApiGuardError } from './api-guard-error';

/** The record does not exist, or is not visible to the caller. */
export class NotFoundError extends ApiGuardError {
  readonly kind = 'not_found' as const;
}
