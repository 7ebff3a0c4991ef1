import type { DataSource } from 'typeorm';
import { AlreadyExistsError } from '../../src/domain/errors/already-exists-error';
import { digestOf, generateToken, displayPrefixOf } from '../../src/domain/token-format';
import type { NewToken } from '../../src/domain/token';
import { openDatabase } from '../../src/storage/database';
import { MysqlLegacyKeyStore } from '../../src/storage/mysql-legacy-key-store';
import { MysqlPolicyStore } from '../../src/storage/mysql-policy-store';
import { MysqlTokenStore } from '../../src/storage/mysql-token-store';
import { MysqlUserStore } from '../../src/storage/mysql-user-store';
import { ScratchDatabase } from '../support/scratch-database';

const NOW = new Date('2026-06-15T12:00:00Z');
const DAY = 86_400_000;

function newToken(overrides: Partial<NewToken> = {}): NewToken {
  const plaintext = generateToken();
  return {
    userId: 1,
    name: 'ci',
    digest: digestOf(plaintext),
    displayPrefix: displayPrefixOf(plaintext),
    scopes: null,
    projects: [],
    trackerIds: [],
    createdOn: NOW,
    expiresOn: new Date(NOW.getTime() + 30 * DAY),
    ...overrides,
  };
}

describe('MySQL stores on the real Redmine + plugin schema', () => {
  const scratch = new ScratchDatabase();
  let db: DataSource;
  let tokens: MysqlTokenStore;

  beforeAll(async () => {
    await scratch.create();
    await scratch.addUser(1);
    await scratch.addUser(2, 3);
    await scratch.addUser(3, 1, 'Group');
    db = await openDatabase(scratch.config());
    tokens = new MysqlTokenStore(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await scratch.drop();
  });

  describe('MysqlTokenStore', () => {
    test('inserts and finds a token by digest and id, with UTC times', async () => {
      const input = newToken({ name: 'find-me' });

      const stored = await tokens.insert(input);
      const byDigest = await tokens.findAuthToken(input.digest);
      const byId = await tokens.findById(stored.id);

      expect(byDigest).toEqual({
        id: stored.id,
        userId: 1,
        displayPrefix: input.displayPrefix,
        expiresAt: Date.parse('2026-07-15T12:00:00Z'),
        revokedAt: null,
        scopes: null,
        projects: [],
        trackerIds: [],
      });
      expect(byId).toEqual(stored);
      expect(stored.expiresOn.toISOString()).toBe('2026-07-15T12:00:00.000Z');
      const [rows] = await scratch.db.query('SELECT expires_on FROM api_guard_tokens WHERE id = ?', [stored.id]);
      expect((rows as Array<{ expires_on: Date }>)[0].expires_on.toISOString()).toBe('2026-07-15T12:00:00.000Z');
    });

    test('stores and reads project and tracker restrictions', async () => {
      const input = newToken({
        name: 'restricted',
        projects: [{ projectId: 3, includeSubprojects: true }, { projectId: 5, includeSubprojects: false }],
        trackerIds: [1, 2],
      });

      const stored = await tokens.insert(input);
      const auth = await tokens.findAuthToken(input.digest);

      expect(stored.projects).toEqual(input.projects);
      expect(auth).toMatchObject({ projects: input.projects, trackerIds: [1, 2] });
      expect(await tokens.findById(stored.id)).toMatchObject({ projects: input.projects, trackerIds: [1, 2] });
    });

    test('reads the longest restriction whole (beyond the 1024 bytes MySQL gives GROUP_CONCAT)', async () => {
      const projects = Array.from({ length: 200 }, (_, i) => ({ projectId: 1_000_000 + i, includeSubprojects: i % 2 === 0 }));
      const trackerIds = Array.from({ length: 200 }, (_, i) => 1_000_000 + i);
      const input = newToken({ name: 'long restriction', projects, trackerIds });
      await tokens.insert(input);

      expect(await tokens.findAuthToken(input.digest)).toMatchObject({ projects, trackerIds });
    });

    test('refuses a second active token with the same name, also under concurrency', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => tokens.insert(newToken({ name: 'race' }))),
      );

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x) => x.status === 'rejected')) {
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(AlreadyExistsError);
      }
    });

    test('allows the name again once the old token expired or was revoked', async () => {
      const old = await tokens.insert(newToken({ name: 'reuse', expiresOn: new Date(NOW.getTime() - DAY) }));
      await tokens.insert(newToken({ name: 'reuse' }));
      const again = await tokens.listByUser(1, true);

      expect(again.filter((t) => t.name === 'reuse')).toHaveLength(2);
      expect(old.id).toBeGreaterThan(0);
    });

    test('revokes once and keeps the row', async () => {
      const stored = await tokens.insert(newToken({ name: 'revoke-me' }));

      const first = await tokens.revoke(stored.id, 9, new Date(NOW.getTime() + 1000));
      const second = await tokens.revoke(stored.id, 10, new Date(NOW.getTime() + 5000));

      expect(first?.revokedOn?.toISOString()).toBe('2026-06-15T12:00:01.000Z');
      expect(second?.revokedById).toBe(9);
      expect((await tokens.listByUser(1, false)).some((t) => t.id === stored.id)).toBe(false);
    });

    test('records the last use of several tokens in one write', async () => {
      const a = await tokens.insert(newToken({ name: 'used a' }));
      const b = await tokens.insert(newToken({ name: 'used b' }));
      const later = new Date(NOW.getTime() + 5000);

      await tokens.recordUses([
        { id: a.id, at: NOW, ip: '2001:db8::1' },
        { id: b.id, at: later, ip: null },
      ]);

      expect(await tokens.findById(a.id)).toMatchObject({ lastUsedOn: NOW, lastUsedIp: '2001:db8::1' });
      expect(await tokens.findById(b.id)).toMatchObject({ lastUsedOn: later, lastUsedIp: null });
    });

    test('searches by status, user and expiry window, newest first, paginated', async () => {
      await tokens.insert(newToken({ userId: 2, name: 'soon', expiresOn: new Date(NOW.getTime() + 3 * DAY) }));
      await tokens.insert(newToken({ userId: 2, name: 'later', expiresOn: new Date(NOW.getTime() + 60 * DAY) }));

      const soon = await tokens.search({ userId: 2, expiringWithinDays: 7 }, { page: 1, perPage: 10 }, NOW);
      const active = await tokens.search({ status: 'active' }, { page: 1, perPage: 2 }, NOW);
      const expired = await tokens.search({ status: 'expired' }, { page: 1, perPage: 10 }, NOW);
      const revoked = await tokens.search({ status: 'revoked' }, { page: 1, perPage: 10 }, NOW);

      expect(soon.tokens.map((t) => t.name)).toEqual(['soon']);
      expect(active.tokens).toHaveLength(2);
      expect(active.totalCount).toBeGreaterThan(2);
      expect(expired.tokens.every((t) => t.expiresOn <= NOW && !t.revokedOn)).toBe(true);
      expect(revoked.tokens.every((t) => t.revokedOn)).toBe(true);
    });
  });

  describe('MysqlUserStore', () => {
    test('reads active and locked users, and ignores groups and unknown ids', async () => {
      const users = new MysqlUserStore(db);

      expect(await users.findState(1)).toEqual({ id: 1, login: 'user1', status: 'active' });
      expect(await users.findState(2)).toMatchObject({ status: 'locked' });
      expect(await users.findState(3)).toBeNull();
      expect(await users.findState(404)).toBeNull();
    });
  });

  describe('MysqlLegacyKeyStore', () => {
    test('finds the owner of an api key, and only of action api', async () => {
      const key = 'ab'.repeat(20);
      await scratch.addLegacyKey(1, key);
      await scratch.db.query(
        `INSERT INTO tokens (user_id, action, value, created_on, updated_on) VALUES (1, 'feeds', ?, NOW(), NOW())`,
        ['cd'.repeat(20)],
      );
      const store = new MysqlLegacyKeyStore(db);

      expect(await store.findUserIdByKey(key)).toBe(1);
      expect(await store.findUserIdByKey('cd'.repeat(20))).toBeNull();
    });
  });

  describe('MysqlPolicyStore', () => {
    test('reads the YAML row Redmine writes for plugin settings', async () => {
      await scratch.db.query(`INSERT INTO settings (name, value, updated_on) VALUES (?, ?, NOW())`, [
        'plugin_redmine_api_guard',
        "--- !ruby/hash:ActiveSupport::HashWithIndifferentAccess\nmax_lifetime_days: '30'\nlegacy_key_policy: refused\n",
      ]);

      expect(await new MysqlPolicyStore(db).loadSettings()).toEqual({
        max_lifetime_days: '30',
        legacy_key_policy: 'refused',
      });
    });
  });
});

describe('openDatabase()', () => {
  test('names the missing table and the migration to run', async () => {
    const scratch = new ScratchDatabase();
    await scratch.create(['users', 'tokens', 'settings']);
    try {
      await expect(openDatabase(scratch.config())).rejects.toThrow(
        /table api_guard_tokens is missing;.*run the plugin migrations .*redmine:plugins:migrate/,
      );
    } finally {
      await scratch.drop();
    }
  });

  test('says the database is unavailable when it cannot connect', async () => {
    const scratch = new ScratchDatabase();
    await expect(
      openDatabase({ ...scratch.config(), socket: undefined, host: '127.0.0.1', port: 1, connectTimeoutMs: 500 }),
    ).rejects.toThrow(/database unavailable/);
  });
});
