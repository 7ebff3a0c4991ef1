import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { TOKEN_PATTERN } from '../../src/domain/token-format';
import { api, database, E2E, WebSession, withKey } from '../support/redmine';

const PLAINTEXT = /rmp_[0-9A-Za-z]{49}/g;

function isoDay(daysFromToday: number): string {
  return new Date(Date.now() + daysFromToday * 86_400_000).toISOString().slice(0, 10);
}

/** Every file below the directory, as text. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(readFileSync(path, 'latin1'));
  }
  return out;
}

describe('"My account" > Access tokens, and Administration > API tokens', () => {
  let alice: WebSession;
  let db: mysql.Connection;
  const name = `web token ${Date.now()}`;
  let plaintext = '';

  beforeAll(async () => {
    alice = await WebSession.login('alice', 'alice-demo-pass');
    db = await database();
  });

  afterAll(async () => {
    await db.end();
  });

  test('My account links to the token page', async () => {
    const page = await alice.get('/my/account');

    expect(page.text).toContain('href="/my/api_tokens"');
  });

  test('the form is prefilled with the default expiry and bounded by the maximum', async () => {
    const page = await alice.get('/my/api_tokens/new');

    expect(page.status).toBe(200);
    expect(page.text).toContain(`value="${isoDay(90)}"`);
    expect(page.text).toContain(`max="${isoDay(365)}"`);
  });

  test('creating a token shows its plaintext once, on the next page, with a warning', async () => {
    await alice.get('/my/api_tokens/new');
    const page = await alice.post('/my/api_tokens', { name, expires_on: isoDay(10) });

    const shown = page.text.match(PLAINTEXT) ?? [];
    plaintext = shown[0] ?? '';
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toContain('no-store');
    expect(plaintext).toMatch(TOKEN_PATTERN);
    expect(page.text).toContain('it will not be shown again');
    expect((await api('/users/current.json', withKey(plaintext))).json().user.login).toBe('alice');
  });

  test('the list shows the token without its plaintext, with its expiry and last use', async () => {
    const page = await alice.get('/my/api_tokens');

    expect(page.text).toContain(name);
    expect(page.text).toContain(plaintext.slice(0, 12));
    expect(page.text).not.toContain(plaintext);
    expect(page.text).toMatch(/127\.0\.0\.1/);
  });

  test('an expiry beyond the maximum lifetime is refused with a clear message', async () => {
    await alice.get('/my/api_tokens/new');
    const page = await alice.post('/my/api_tokens', { name: 'too long', expires_on: isoDay(400) });

    expect(page.status).toBe(422);
    expect(page.text).toMatch(/exceeds the maximum lifetime of 365 days \(latest allowed: \d{4}-\d{2}-\d{2}\)/);
  });

  test('a second active token with the same name is refused', async () => {
    await alice.get('/my/api_tokens/new');
    const page = await alice.post('/my/api_tokens', { name, expires_on: isoDay(10) });

    expect(page.status).toBe(422);
    expect(page.text).toContain('already exists');
  });

  test('an admin sees every token, filters them, and revokes; the token stops at once', async () => {
    const admin = await WebSession.login('admin', 'admin-demo-pass');
    const [rows] = await db.query('SELECT id, user_id FROM api_guard_tokens WHERE name = ?', [name]);
    const { id, user_id: userId } = (rows as Array<{ id: number; user_id: number }>)[0];

    const list = await admin.get(`/admin/api_tokens?user_id=${userId}&status=active`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(name);
    expect(list.text).not.toContain(plaintext);
    const expiring = await admin.get('/admin/api_tokens?expiring_within=30');
    expect(expiring.text).toContain(name);

    const revoked = await admin.post(`/admin/api_tokens/${id}`, {}, 'delete');
    expect(revoked.status).toBe(302);
    expect((await api('/users/current.json', withKey(plaintext))).status).toBe(401);
    expect((await admin.get('/admin/api_tokens?status=revoked')).text).toContain(name);
  });

  test('a user cannot revoke someone else\'s token, nor open the admin overview', async () => {
    const [rows] = await db.query(
      `SELECT t.id FROM api_guard_tokens t JOIN users u ON u.id = t.user_id WHERE u.login = 'admin' LIMIT 1`,
    );
    const foreign = (rows as Array<{ id: number }>)[0]?.id ?? 999999;
    await alice.get('/my/api_tokens');

    expect((await alice.post(`/my/api_tokens/${foreign}`, {}, 'delete')).status).toBe(404);
    expect((await alice.get('/admin/api_tokens')).status).toBe(403);
  });

  test.each(['abc', '0', '-1', '99999999999999999999', '1e3'])(
    'revoking token id %p answers 404, never 500',
    async (id) => {
      await alice.get('/my/api_tokens');

      expect((await alice.post(`/my/api_tokens/${id}`, {}, 'delete')).status).toBe(404);
    },
  );

  test('junk filters on the admin overview never give a 500', async () => {
    const admin = await WebSession.login('admin', 'admin-demo-pass');

    for (const query of ['page=4294967296', 'user_id=-1', 'page[]=1', 'status[a]=1', 'expiring_within[]=1']) {
      expect((await admin.get(`/admin/api_tokens?${query}`)).status).toBe(200);
    }
  });

  test('an HTML name is shown escaped, also in error messages', async () => {
    const html = `<img src=x onerror=alert(${Date.now()})>`;
    await alice.get('/my/api_tokens/new');
    await alice.post('/my/api_tokens', { name: html, expires_on: isoDay(3) });
    await alice.get('/my/api_tokens/new');
    const again = await alice.post('/my/api_tokens', { name: html, expires_on: isoDay(3) });
    const list = await alice.get('/my/api_tokens');

    expect(again.status).toBe(422);
    expect(again.text).not.toContain(html);
    expect(list.text).not.toContain(html);
  });

  test('a user revokes their own token from the list', async () => {
    await alice.get('/my/api_tokens/new');
    const created = await alice.post('/my/api_tokens', { name: `${name} 2`, expires_on: isoDay(5) });
    const token = (created.text.match(PLAINTEXT) ?? [])[0] ?? '';
    const [rows] = await db.query('SELECT id FROM api_guard_tokens WHERE name = ?', [`${name} 2`]);
    await alice.get('/my/api_tokens');

    const revoked = await alice.post(`/my/api_tokens/${(rows as Array<{ id: number }>)[0].id}`, {}, 'delete');

    expect(revoked.status).toBe(302);
    expect((await api('/users/current.json', withKey(token))).status).toBe(401);
  });

  test('no plaintext token is in any database column or log file', async () => {
    const dump = execSync(`mysqldump -uroot --skip-comments ${E2E.db}`, { maxBuffer: 256 * 1024 * 1024 }).toString();
    const logs = filesUnder(E2E.logDir).join('\n') +
      filesUnder(E2E.redmineLogDir).join('\n');

    expect(plaintext).not.toBe('');
    expect(dump).not.toContain(plaintext.slice(4));
    expect(logs).not.toContain(plaintext.slice(4));
    expect(logs.match(PLAINTEXT) ?? []).toEqual([]);
  });
});
