import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';

/**
 * Floors the authorization call is compared to, served by the sidecar's own
 * grpc-js server setup. `Empty` carries no bytes and does no work. `Sized`
 * does no work either but takes a request and answers with as many bytes as
 * a real authorization does: the gap between the two is the cost of the
 * contract's message sizes, the gap to `Authorize` that of the sidecar's code.
 */
const EMPTY = Buffer.alloc(0);

export const FLOOR_PATH = '/apiguard.bench.Floor/Empty';
export const SIZED_FLOOR_PATH = '/apiguard.bench.Floor/Sized';

const identity = (bytes: Buffer) => bytes;

export const floorService: ServiceDefinition = {
  empty: {
    path: FLOOR_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: () => EMPTY,
    requestDeserialize: () => ({}),
    responseSerialize: () => EMPTY,
    responseDeserialize: () => ({}),
  },
  sized: {
    path: SIZED_FLOOR_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/** `answer`: the bytes `Sized` sends back (as long as an authorization answer). */
export function floorImplementation(answer: Buffer): UntypedServiceImplementation {
  return {
    empty: (_call: unknown, callback: (error: null, value: object) => void) => callback(null, {}),
    sized: (_call: unknown, callback: (error: null, value: Buffer) => void) => callback(null, answer),
  };
}
