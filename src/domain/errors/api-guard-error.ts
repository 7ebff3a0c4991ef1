/**
 * Closed set of error kinds the domain raises. The transport layer maps each
 * kind to a gRPC status in exactly one place (status-mapping.ts).
 */
export type ErrorKind =
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'failed_precondition'
  | 'unavailable';

export abstract class ApiGuardError extends Error {
  abstract readonly kind: ErrorKind;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
