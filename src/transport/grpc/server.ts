import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import {
  AuthorizationServiceService,
  TokenServiceService,
  type AuthorizationServiceServer,
  type TokenServiceServer,
} from '../../generated/redmine/apiguard/v1/api_guard';
import type { ListenAddress } from '../../config/sidecar-config';

export const SERVICE_NAMES = [
  'redmine.apiguard.v1.TokenService',
  'redmine.apiguard.v1.AuthorizationService',
];

export interface GrpcHandlers {
  tokens: TokenServiceServer;
  authorization: AuthorizationServiceServer;
}

export interface GrpcEndpoints {
  socketPath: string | null;
  socketMode: number;
  tcp: ListenAddress | null;
}

export class GrpcServer {
  readonly server = new Server({ 'grpc.max_receive_message_length': 1024 * 1024 });
  readonly health = new HealthImplementation({ '': 'NOT_SERVING' });
  /** The TCP port actually bound (useful with port 0 in tests). */
  tcpPort: number | null = null;

  constructor(handlers: GrpcHandlers) {
    this.server.addService(TokenServiceService, handlers.tokens);
    this.server.addService(AuthorizationServiceService, handlers.authorization);
    this.health.addToServer(this.server);
  }

  async listen(endpoints: GrpcEndpoints): Promise<void> {
    if (endpoints.socketPath) {
      await this.bindSocket(endpoints.socketPath, endpoints.socketMode);
    }
    if (endpoints.tcp) {
      this.tcpPort = await this.bind(
        `${endpoints.tcp.host}:${endpoints.tcp.port}`,
      );
    }
    this.setServing(true);
  }

  setServing(serving: boolean): void {
    const state = serving ? 'SERVING' : 'NOT_SERVING';
    for (const name of ['', ...SERVICE_NAMES]) this.health.setStatus(name, state);
  }

  /** Stops accepting calls and waits for running ones, at most `graceMs`. */
  async shutdown(graceMs: number): Promise<void> {
    this.setServing(false);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async bindSocket(path: string, mode: number): Promise<void> {
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) {
      // A socket left by a killed sidecar would make the bind fail; one that
      // still answers belongs to a running sidecar and is not ours to take.
      if (await socketAnswers(path)) throw new Error(`another process is listening on ${path}`);
      unlinkSync(path);
    }
    // Created with no permission for others from the first moment.
    const previous = process.umask(0o077 | (~mode & 0o777));
    try {
      await this.bind(`unix:${path}`);
    } finally {
      process.umask(previous);
    }
    chmodSync(path, mode);
  }

  private bind(address: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) => {
        if (error) reject(new Error(`cannot listen on ${address}: ${error.message}`));
        else resolve(port);
      });
    });
  }
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
