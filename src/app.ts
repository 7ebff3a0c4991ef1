import type { Server as HttpServer } from 'node:http';
import type { DataSource } from 'typeorm';
import type { SidecarConfig } from './config/sidecar-config';
import { AuthCache } from './domain/auth-cache';
import { Authorizer } from './domain/authorizer';
import { systemClock, type Clock } from './domain/clock';
import { PolicyProvider } from './domain/policy-provider';
import { TokenService, type TokenEvents } from './domain/token-service';
import { UsageRecorder } from './domain/usage-recorder';
import { componentLogger, type Logger } from './observability/logger';
import { SidecarMetrics } from './observability/metrics';
import { databaseAnswers } from './storage/database';
import { MysqlLegacyKeyStore } from './storage/mysql-legacy-key-store';
import { MysqlPolicyStore } from './storage/mysql-policy-store';
import { MysqlTokenStore } from './storage/mysql-token-store';
import { MysqlUserStore } from './storage/mysql-user-store';
import { authorizationHandlers } from './transport/grpc/authorization-handlers';
import { GrpcServer } from './transport/grpc/server';
import { tokenHandlers } from './transport/grpc/token-handlers';
import { createMetricsServer, listenHttp } from './transport/http/metrics-server';

export interface App {
  grpc: GrpcServer;
  metrics: SidecarMetrics;
  cache: AuthCache;
  policy: PolicyProvider;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Token management events go to the log until the audit table exists. */
function loggedTokenEvents(logger: Logger): TokenEvents {
  const line = (event: string) => (token: { id: number; userId: number; displayPrefix: string }, actor: { userId: number } | null) =>
    logger.info(event, {
      token_id: token.id,
      token_prefix: token.displayPrefix,
      user_id: token.userId,
      actor_id: actor?.userId,
    });
  // TODO: write these to the audit table once it exists (audit issue).
  return { created: line('token created'), revoked: line('token revoked') };
}

/** Builds the whole sidecar on an open database: the composition root. */
export function createApp(config: SidecarConfig, db: DataSource, logger: Logger, clock: Clock = systemClock): App {
  const metrics = new SidecarMetrics(() => databaseAnswers(db));
  const tokenStore = new MysqlTokenStore(db);
  const userStore = new MysqlUserStore(db);
  const cache = new AuthCache(config.cache);
  const policyLog = componentLogger(logger, 'policy');
  const policy = new PolicyProvider(new MysqlPolicyStore(db), (problem) =>
    policyLog.warn('plugin settings ignored', { problem }),
  );
  const usageLog = componentLogger(logger, 'usage');
  const usage = new UsageRecorder(tokenStore, (error) =>
    usageLog.warn('last-used update failed', { message: (error as Error).message }),
  );
  const authorizer = new Authorizer({
    tokens: tokenStore,
    legacyKeys: new MysqlLegacyKeyStore(db),
    users: userStore,
    cache,
    policy,
    usage,
    clock,
    metrics,
  });
  const tokens = new TokenService({
    tokens: tokenStore,
    users: userStore,
    cache,
    policy,
    clock,
    events: loggedTokenEvents(componentLogger(logger, 'tokens')),
  });
  const grpcLog = componentLogger(logger, 'grpc');
  const unaryDeps = { logger: grpcLog, metrics };
  const grpc = new GrpcServer({
    tokens: tokenHandlers({ ...unaryDeps, tokens, policy, clock }),
    authorization: authorizationHandlers({ ...unaryDeps, authorizer, cache, policy }),
  });

  let httpServer: HttpServer | null = null;
  let refreshTimer: NodeJS.Timeout | null = null;
  let ready = false;

  const refreshPolicy = () =>
    policy.refresh().catch((error: Error) =>
      policyLog.warn('policy refresh failed; keeping the last policy', { message: error.message }),
    );

  return {
    grpc,
    metrics,
    cache,
    policy,
    async start() {
      await policy.refresh();
      refreshTimer = setInterval(() => void refreshPolicy(), config.policyRefreshMs);
      refreshTimer.unref();
      await grpc.listen(config);
      if (config.metrics) {
        httpServer = createMetricsServer({
          registry: metrics.registry,
          ready: () => ready,
        });
        await listenHttp(httpServer, config.metrics);
      }
      setInterval(() => {
        const size = cache.size;
        metrics.cacheEntries.set({ cache: 'credential' }, size.credentials);
        metrics.cacheEntries.set({ cache: 'miss' }, size.misses);
        metrics.cacheEntries.set({ cache: 'user' }, size.users);
      }, 5000).unref();
      ready = true;
    },
    async stop() {
      ready = false;
      if (refreshTimer) clearInterval(refreshTimer);
      await grpc.shutdown(5000);
      await usage.flush();
      await new Promise<void>((resolve) => (httpServer ? httpServer.close(() => resolve()) : resolve()));
    },
  };
}
