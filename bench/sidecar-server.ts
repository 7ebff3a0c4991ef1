/**
 * The sidecar as `make bench` runs it: the real app on a real database, plus
 * the empty floor RPC on the same grpc-js server. Prints one JSON line when
 * ready. Configured through the usual APIGUARD_* variables.
 */
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/sidecar-config';
import { createLogger } from '../src/observability/logger';
import { openDatabase } from '../src/storage/database';
import { floorImplementation, floorService } from './floor-service';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  const app = createApp(config, db, createLogger('error'));
  app.grpc.server.addService(floorService, floorImplementation);
  await app.start();
  process.stdout.write(JSON.stringify({ ready: true, tcpPort: app.grpc.tcpPort, pid: process.pid }) + '\n');
  process.on('SIGTERM', () => {
    void app.stop().then(() => db.destroy()).then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench sidecar: ${String(error)}\n`);
  process.exit(1);
});
