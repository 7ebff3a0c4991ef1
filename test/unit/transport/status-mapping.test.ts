import { status } from '@grpc/grpc-js';
import { AlreadyExistsError } from '../../../src/domain/errors/already-exists-error';
import { FailedPreconditionError } from '../../../src/domain/errors/failed-precondition-error';
import { InvalidArgumentError } from '../../../src/domain/errors/invalid-argument-error';
import { NotFoundError } from '../../../src/domain/errors/not-found-error';
import { StorageUnavailableError } from '../../../src/domain/errors/storage-unavailable-error';
import { INTERNAL_MESSAGE, toServiceError } from '../../../src/transport/grpc/status-mapping';

describe('toServiceError()', () => {
  test.each([
    [new InvalidArgumentError('bad'), status.INVALID_ARGUMENT],
    [new NotFoundError('gone'), status.NOT_FOUND],
    [new AlreadyExistsError('twice'), status.ALREADY_EXISTS],
    [new FailedPreconditionError('locked'), status.FAILED_PRECONDITION],
    [new StorageUnavailableError('down'), status.UNAVAILABLE],
  ])('maps %p to its status with its message', (error, code) => {
    expect(toServiceError(error)).toMatchObject({ code, details: error.message });
  });

  test('hides the message of unexpected errors', () => {
    expect(toServiceError(new TypeError('secret internals'))).toMatchObject({
      code: status.INTERNAL,
      details: INTERNAL_MESSAGE,
    });
  });
});
