import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ApiGuardError, type ErrorKind } from '../../domain/errors/api-guard-error';

/** The one place where domain errors become gRPC status codes. */
const STATUS_BY_KIND: Record<ErrorKind, status> = {
  invalid_argument: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
  already_exists: status.ALREADY_EXISTS,
  failed_precondition: status.FAILED_PRECONDITION,
  unavailable: status.UNAVAILABLE,
};

export const INTERNAL_MESSAGE = 'internal error in redmine-api-guard (see the sidecar log)';

export function toServiceError(error: unknown): ServiceError {
  const known = error instanceof ApiGuardError;
  const code = known ? STATUS_BY_KIND[error.kind] : status.INTERNAL;
  const details = known ? error.message : INTERNAL_MESSAGE;
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() });
}

export function statusName(code: status): string {
  return status[code] ?? 'UNKNOWN';
}
