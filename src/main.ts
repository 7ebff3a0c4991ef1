import { ConfigError } from './config/config-error';
import { loadConfig } from './config/sidecar-config';
import { createApp } from './app';
import { ApiGuardError } from './domain/errors/api-guard-error';
import { createLogger } from './observability/logger';
import { openDatabase } from './storage/database';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config.database);
  const app = createApp(config, db, logger);
  await app.start();
  logger.info('sidecar started', {
    socket: config.socketPath,
    tcp: config.tcp ? `${config.tcp.host}:${app.grpc.tcpPort}` : null,
    metrics: config.metrics ? `${config.metrics.host}:${config.metrics.port}` : null,
    database: config.database.database,
    pid: process.pid,
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    app
      .stop()
      .then(() => db.destroy())
      .then(
        () => process.exit(0),
        (error: Error) => {
          logger.error('unclean shutdown', { err: error });
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Start-up failures are the operator's to fix: say what and stop.
  const known = error instanceof ConfigError || error instanceof ApiGuardError;
  const message = known ? (error as Error).message : String((error as Error)?.stack ?? error);
  process.stderr.write(`redmine-api-guard: cannot start: ${message}\n`);
  process.exit(known ? 2 : 1);
});
