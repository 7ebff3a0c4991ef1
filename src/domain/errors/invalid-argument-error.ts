import { ApiGuardError } from './api-guard-error';

/** The request carries a value the domain refuses (bad name, expiry out of bounds). */
export class InvalidArgumentError extends ApiGuardError {
  readonly kind = 'invalid_argument' as const;
}
