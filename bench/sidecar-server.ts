/**
 * The sidecar as `make bench` runs it: the real app on a real database, plus
 * the floor RPCs on the same grpc-js server (BENCH_SIZED_ANSWER_BYTES sets
 * the size of the sized floor's answer). Prints one JSON line when
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
  const answerBytes = Number(process.env.BENCH_SIZED_ANSWER_BYTES ?? 0);
  app.grpc.server.addService(floorService, floorImplementation(Buffer.alloc(answerBytes, 1)));
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
