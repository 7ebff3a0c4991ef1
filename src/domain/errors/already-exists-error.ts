import { ApiGuardError } from './api-guard-error';

/** A unique rule would be broken (a second active token with the same name). */
export class AlreadyExistsError extends ApiGuardError {
  readonly kind = 'already_exists' as const;
}
