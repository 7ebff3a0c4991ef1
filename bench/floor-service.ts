import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';

/**
 * An empty unary RPC: no message body, no work. Served by the sidecar's own
 * grpc-js server setup, it is the floor the authorization call is compared to.
 */
const EMPTY = Buffer.alloc(0);

export const FLOOR_PATH = '/apiguard.bench.Floor/Empty';

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
};

export const floorImplementation: UntypedServiceImplementation = {
  empty: (_call: unknown, callback: (error: null, value: object) => void) => callback(null, {}),
};
