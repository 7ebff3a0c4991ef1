import { ApiGuardError } from './api-guard-error';

/** The system is not in a state that allows the call (owner locked, schema missing). */
export class FailedPreconditionError extends ApiGuardError {
  readonly kind = 'failed_precondition' as const;
}
