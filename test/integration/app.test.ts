import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config/sidecar-config';
import { Decision, DenyReason } from '../../src/generated/redmine/apiguard/v1/api_guard';
import { createLogger } from '../../src/observability/logger';
import { openDatabase } from '../../src/storage/database';
import { SidecarApi } from '../support/grpc-client';
import { checkHealth } from '../support/health-client';
import { ScratchDatabase } from '../support/scratch-database';

describe('the sidecar on a real database, over its unix socket', () => {
  const scratch = new ScratchDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'apiguard-app-'));
  const socket = join(dir, 'sidecar.sock');
  let db: DataSource;
  let app: App;
  let api: SidecarApi;
  let metricsPort: number;

  beforeAll(async () => {
    await scratch.create();
    await scratch.addUser(1);
    await scratch.addLegacyKey(1, 'ef'.repeat(20));
    metricsPort = 20000 + Math.floor(Math.random() * 20000);
    const config = loadConfig({
      APIGUARD_DB_NAME: scratch.name,
      APIGUARD_DB_USER: 'root',
      APIGUARD_SOCKET: socket,
      APIGUARD_METRICS: `127.0.0.1:${metricsPort}`,
    });
    db = await openDatabase(config.database);
    app = createApp(config, db, createLogger('error'));
    await app.start();
    api = new SidecarApi(`unix:${socket}`);
  });

  afterAll(async () => {
    api?.close();
    await app?.stop();
    await db?.destroy();
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('creates the socket with mode 0660 and reports SERVING', async () => {
    expect(statSync(socket).mode & 0o777).toBe(0o660);
    expect(await checkHealth(`unix:${socket}`)).toBe('SERVING');
    expect(await checkHealth(`unix:${socket}`, 'redmine.apiguard.v1.AuthorizationService')).toBe('SERVING');
  });

  test('a created token authorizes; its plaintext is in no column', async () => {
    const created = await api.createToken({ userId: 1, name: 'it' });

    const answer = await api.authorize({ credential: created.plaintext, context: { remoteIp: '127.0.0.9' } });
    const [rows] = await scratch.db.query('SELECT * FROM api_guard_tokens');

    expect(answer).toMatchObject({ decision: Decision.DECISION_ALLOW, userId: 1 });
    expect(JSON.stringify(rows)).not.toContain(created.plaintext.slice(12));
  });

  test('a legacy key follows the admin policy, reloaded on demand', async () => {
    const allowed = await api.authorize({ credential: 'ef'.repeat(20) });
    await scratch.db.query(`INSERT INTO settings (name, value, updated_on) VALUES (?, ?, NOW())`, [
      'plugin_redmine_api_guard',
      "--- !ruby/hash:ActiveSupport::HashWithIndifferentAccess\nlegacy_key_policy: refused\n",
    ]);
    await api.reloadPolicy();
    const refused = await api.authorize({ credential: 'ef'.repeat(20) });

    expect(allowed.decision).toBe(Decision.DECISION_ALLOW);
    expect(refused).toMatchObject({
      decision: Decision.DECISION_DENY,
      denyReason: DenyReason.DENY_REASON_LEGACY_KEY_REFUSED,
    });
  });

  test('a user locked in the database is refused after InvalidateUser, even with a cached token', async () => {
    const created = await api.createToken({ userId: 1, name: 'lock-me' });
    await api.authorize({ credential: created.plaintext });

    await scratch.db.query('UPDATE users SET status = 3 WHERE id = 1');
    await api.invalidateUser({ userId: 1 });
    const answer = await api.authorize({ credential: created.plaintext });
    await scratch.db.query('UPDATE users SET status = 1 WHERE id = 1');

    expect(answer.denyReason).toBe(DenyReason.DENY_REASON_USER_LOCKED);
  });

  test('serves Prometheus metrics with decisions and RPC durations', async () => {
    const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();

    expect(body).toMatch(/apiguard_authorizations_total\{result="allow",kind="token"\} \d+/);
    expect(body).toContain('apiguard_rpc_duration_seconds_bucket');
    expect(body).toMatch(/^apiguard_database_up 1$/m);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
  });
});
