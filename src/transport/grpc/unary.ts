import { status, type handleUnaryCall, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { Logger } from '../../observability/logger';
import type { SidecarMetrics } from '../../observability/metrics';
import { statusName, toServiceError } from './status-mapping';

export interface UnaryDeps {
  logger: Logger;
  metrics: SidecarMetrics;
}

/**
 * Adapts an async handler to grpc-js: awaits it, answers exactly once, maps
 * errors in one place and records the call's duration. Unexpected errors are
 * logged with their stack; the client only sees a fixed text.
 */
export function unary<Req, Res>(
  rpc: string,
  handler: (request: Req) => Promise<Res>,
  deps: UnaryDeps,
): handleUnaryCall<Req, Res> {
  const observe = deps.metrics.rpcTimer(rpc);
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const started = process.hrtime.bigint();
    const finish = (code: status) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      observe(statusName(code), seconds);
    };
    handler(call.request).then(
      (response) => {
        finish(status.OK);
        callback(null, response);
      },
      (error: unknown) => {
        const serviceError = toServiceError(error);
        finish(serviceError.code);
        if (serviceError.code === status.INTERNAL) {
          deps.logger.error('unexpected error', { rpc, err: error });
        } else if (serviceError.code === status.UNAVAILABLE) {
          deps.logger.warn('dependency unavailable', { rpc, message: serviceError.details });
        }
        callback(serviceError, null);
      },
    );
  };
}
