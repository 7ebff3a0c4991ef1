import type mysql from 'mysql2/promise';
import { generateToken } from '../../src/domain/token-format';
import { SidecarApi } from '../support/grpc-client';
import {
  api, database, E2E, legacyKeyOf, rawStatus, userIdOf, WebSession, withKey,
} from '../support/redmine';

/** Every way a client may present a credential, per Redmine's conventions. */
const PRESENTATIONS: Array<[string, (token: string) => [string, RequestInit]]> = [
  ['X-Redmine-API-Key header', (t) => ['/users/current.json', withKey(t)]],
  ['key parameter', (t) => [`/users/current.json?key=${encodeURIComponent(t)}`, {}]],
  ['HTTP Basic user name', (t) => ['/users/current.json', {
    headers: { Authorization: `Basic ${Buffer.from(`${t}:anything`).toString('base64')}` },
  }]],
  ['Bearer', (t) => ['/users/current.json', { headers: { Authorization: `Bearer ${t}` } }]],
];

function wrongChecksum(token: string): string {
  const last = token.at(-1) === '0' ? '1' : '0';
  return token.slice(0, -1) + last;
}

function basic(user: Buffer): RequestInit {
  const payload = Buffer.concat([user, Buffer.from(':x')]).toString('base64');
  return { headers: { Authorization: `Basic ${payload}` } };
}

async function setLegacyPolicy(admin: WebSession, policy: 'allowed' | 'refused'): Promise<void> {
  await admin.get('/settings/plugin/redmine_api_guard');
  const saved = await admin.post('/settings/plugin/redmine_api_guard', {
    'settings[max_lifetime_days]': '365',
    'settings[default_lifetime_days]': '90',
    'settings[legacy_key_policy]': policy,
    'settings[sidecar_address]': '',
    'settings[sidecar_timeout_ms]': '1000',
  });
  expect(saved.status).toBe(302);
}

describe('API authentication through the sidecar, on a running Redmine', () => {
  let sidecar: SidecarApi;
  let db: mysql.Connection;
  let aliceId: number;
  let adminId: number;

  beforeAll(async () => {
    sidecar = new SidecarApi(`unix:${E2E.socket}`);
    db = await database();
    aliceId = await userIdOf(db, 'alice');
    adminId = await userIdOf(db, 'admin');
  });

  afterAll(async () => {
    sidecar.close();
    await db.end();
  });

  const newToken = async (userId: number, name = `e2e-${Date.now()}-${Math.random()}`) =>
    (await sidecar.createToken({ userId, name })).plaintext;

  test.each(PRESENTATIONS)('a valid token as %s answers 200 as its owner', async (_label, present) => {
    const token = await newToken(aliceId);
    const [path, init] = present(token);

    const response = await api(path, init);

    expect(response.status).toBe(200);
    expect(response.json().user.login).toBe('alice');
  });

  test('another user\'s token acts as that user, never as the caller', async () => {
    const adminToken = await newToken(adminId);
    const aliceToken = await newToken(aliceId);

    const asAdmin = await api('/users/current.json', withKey(adminToken));
    const asAlice = await api('/users/current.json', withKey(aliceToken));

    expect(asAdmin.json().user.login).toBe('admin');
    expect(asAlice.json().user.login).toBe('alice');
  });

  test('a token reads the owner\'s private project; without it the project is hidden', async () => {
    const token = await newToken(aliceId);

    const withToken = await api('/projects/demo.json', withKey(token));
    const anonymous = await api('/projects/demo.json');

    expect(withToken.status).toBe(200);
    expect(anonymous.status).toBe(401);
  });

  test('an expired token answers 401 with its expiry day', async () => {
    const created = await sidecar.createToken({ userId: aliceId, name: `expired-${Date.now()}` });
    await db.query('UPDATE api_guard_tokens SET expires_on = ? WHERE id = ?', [
      new Date('2026-01-31T23:59:59Z'), created.token?.id,
    ]);

    const response = await api('/users/current.json', withKey(created.plaintext));

    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ errors: ['API token expired on 2026-01-31'] });
  });

  test('a revoked token answers 401 at once, also right after being used', async () => {
    const created = await sidecar.createToken({ userId: aliceId, name: `revoked-${Date.now()}` });
    expect((await api('/users/current.json', withKey(created.plaintext))).status).toBe(200);

    await sidecar.revokeToken({ id: created.token?.id, ownerId: aliceId });
    const response = await api('/users/current.json', withKey(created.plaintext));

    expect(response.status).toBe(401);
    expect(response.json().errors[0]).toMatch(/^API token was revoked on \d{4}-\d{2}-\d{2}$/);
  });

  test.each([
    ['garbage', 'garbage'],
    ['a token with a wrong checksum', wrongChecksum(generateToken())],
    ['an unknown token', generateToken()],
    ['a 10 kB token', 'rmp_' + 'x'.repeat(10_240)],
    ['an unknown legacy-shaped key', 'f'.repeat(40)],
    ['an empty header', ''],
  ])('%s answers 401 with a JSON error, never 500', async (_label, credential) => {
    const response = await api('/issues.json', withKey(credential));

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.json().errors).toHaveLength(1);
  });

  test('an empty key parameter answers 401 in XML', async () => {
    const response = await api('/issues.xml?key=');

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(response.text).toMatch(/<errors type="array"><error>no API credential was given<\/error><\/errors>/);
  });

  test('non-ASCII bytes in the header and in the key parameter answer 401', async () => {
    const host = new URL(E2E.baseUrl).host;
    const header = Buffer.concat([
      Buffer.from(`GET /users/current.json HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\nX-Redmine-API-Key: rmp_`),
      Buffer.from('ключ€', 'utf8'),
      Buffer.from('\r\n\r\n'),
    ]);

    expect(await rawStatus(header)).toBe(401);
    expect((await api('/users/current.json?key=%D0%BA%D0%BB%D1%8E%D1%87')).status).toBe(401);
  });

  test.each([
    ['a token', () => Buffer.from('rmp_\xff\xfe', 'latin1')],
    ['a password login', () => Buffer.from('r\xe9my', 'latin1')],
  ])('non-UTF-8 bytes in an HTTP Basic user name (%s) never give a 500', async (_label, user) => {
    const response = await api('/users/current.json', basic(user()));

    expect([401, 403]).toContain(response.status);
  });

  test('HTTP Basic with a login and password is core\'s; a wrong password is 401, never anonymous', async () => {
    const withPassword = (password: string): RequestInit => ({
      headers: { Authorization: `Basic ${Buffer.from(`alice:${password}`).toString('base64')}` },
    });

    const right = await api('/users/current.json', withPassword('alice-demo-pass'));
    expect(right.status).toBe(200);
    expect(right.json().user.login).toBe('alice');

    for (const path of ['/users/current.json', '/projects.json', '/issues.xml']) {
      const wrong = await api(path, withPassword('not-her-password'));
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(wrong.text).not.toContain('<project>');
    }
  });

  test.each([
    ['/news.json?limit[]=5', 'limit must be a single value'],
    ['/search.json?q[]=a', 'q must be a single value'],
    ['/time_entries.json?from[]=2020-01-01', 'from must be a single value'],
    ['/projects/demo/memberships.json?offset[x]=1', 'offset must be a single value'],
    ['/issues.json?project_id[]=1', 'project_id must be one project id or identifier'],
  ])('%s with a token is a 400 naming the parameter, not a 500', async (path, message) => {
    const response = await api(path, withKey(await newToken(aliceId)));

    expect(response.status).toBe(400);
    expect(response.json().errors).toEqual([message]);
  });

  test('a Bearer token of ours that is not valid answers 401', async () => {
    const response = await api('/users/current.json', { headers: { Authorization: `Bearer ${generateToken()}` } });

    expect(response.status).toBe(401);
  });

  test('a personal token can write: it creates an issue as its owner', async () => {
    const token = await newToken(aliceId);

    const response = await api('/issues.json', {
      method: 'POST',
      headers: { 'X-Redmine-API-Key': token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ issue: { project_id: 'demo', subject: 'written with a personal token' } }),
    });

    expect(response.status).toBe(201);
    expect(response.json().issue.author.name).toBe('Alice Demo');
  });

  test('a personal token never reveals the static API key of its owner', async () => {
    const token = await newToken(aliceId);
    const key = await legacyKeyOf(db, 'alice');

    const account = await api('/my/account.json', withKey(token));
    const current = await api('/users/current.json', withKey(token));
    const withLegacyKey = await api('/users/current.json', withKey(key));

    expect(account.status).toBe(200);
    expect(account.text).not.toContain(key);
    expect(current.text).not.toContain(key);
    expect(withLegacyKey.text).toContain(key);
  });

  test('a request without any credential is untouched: anonymous as in stock Redmine', async () => {
    const response = await api('/projects.json');

    expect(response.status).toBe(200);
    expect(response.json().projects).toEqual([]);
  });

  describe('legacy API keys', () => {
    let admin: WebSession;

    beforeAll(async () => {
      admin = await WebSession.login('admin', 'admin-demo-pass');
    });

    afterAll(async () => {
      await setLegacyPolicy(admin, 'allowed');
    });

    test('answer 200 when the policy allows them and 401 as soon as an admin refuses them', async () => {
      const key = await legacyKeyOf(db, 'alice');
      await setLegacyPolicy(admin, 'allowed');
      const allowed = await api('/users/current.json', withKey(key));

      await setLegacyPolicy(admin, 'refused');
      const refused = await api('/users/current.json', withKey(key));
      const token = await api('/users/current.json', withKey(await newToken(aliceId)));

      expect(allowed.status).toBe(200);
      expect(refused.status).toBe(401);
      expect(refused.json().errors[0]).toMatch(/legacy API keys are refused/);
      expect(token.status).toBe(200);
    });
  });

  test('resetting the legacy key in My account ends the old key at once', async () => {
    const alice = await WebSession.login('alice', 'alice-demo-pass');
    const old = await legacyKeyOf(db, 'alice');
    expect((await api('/users/current.json', withKey(old))).status).toBe(200);

    await alice.get('/my/account');
    const reset = await alice.post('/my/api_key', {});
    const fresh = await legacyKeyOf(db, 'alice');

    expect(reset.status).toBe(302);
    expect(fresh).not.toBe(old);
    expect((await api('/users/current.json', withKey(old))).status).toBe(401);
    expect((await api('/users/current.json', withKey(fresh))).status).toBe(200);
  });

  describe('locked users', () => {
    test('a locked user\'s token and key answer 401, and work again once unlocked', async () => {
      const login = `locked${Date.now()}`;
      const adminKey = await legacyKeyOf(db, 'admin');
      const created = await api('/users.json', {
        method: 'POST',
        headers: { 'X-Redmine-API-Key': adminKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          user: { login, firstname: 'Lock', lastname: 'Ed', mail: `${login}@example.net`, password: 'lock-me-please' },
        }),
      });
      expect(created.status).toBe(201);
      const userId = created.json().user.id as number;
      const token = await newToken(userId);
      expect((await api('/users/current.json', withKey(token))).status).toBe(200);

      const setStatus = (status: number) => api(`/users/${userId}.json`, {
        method: 'PUT',
        headers: { 'X-Redmine-API-Key': adminKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: { status } }),
      });
      expect((await setStatus(3)).status).toBe(204);
      const locked = await api('/users/current.json', withKey(token));
      expect((await setStatus(1)).status).toBe(204);
      const unlocked = await api('/users/current.json', withKey(token));

      const key = await legacyKeyOf(db, login);
      expect((await setStatus(3)).status).toBe(204);
      const lockedKey = await api('/users/current.json', withKey(key));
      expect((await setStatus(1)).status).toBe(204);

      expect(locked.status).toBe(401);
      expect(unlocked.status).toBe(200);
      expect(lockedKey.status).toBe(401);
    });
  });
});
