import type mysql from 'mysql2/promise';
import { api, database, restrictedToken, WebSession, withKey } from '../support/redmine';

/**
 * Changes that reach further than the record they are made on, by a manager
 * of the demo tree (demo and its subproject demo-sub) whose token is
 * restricted to demo alone: each must be refused and leave the database as
 * it was. The same token keeps working inside its restriction.
 */
describe('a restricted token cannot reach beyond its restriction through a wider change', () => {
  let db: mysql.Connection;
  let manny: WebSession;
  let demoOnly: string;
  let demoTree: string;
  let demoId: number;

  const send = (token: string, method: string, path: string, body?: object) =>
    api(path, {
      method,
      headers: { 'X-Redmine-API-Key': token, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => {
    const [rows] = await db.query(sql, params);
    return (rows as T[])[0];
  };

  beforeAll(async () => {
    db = await database();
    manny = await WebSession.login('manny', 'manny-demo-pass');
    demoId = (await one<{ id: number }>(`SELECT id FROM projects WHERE identifier = 'demo'`)).id;
    demoOnly = await restrictedToken(manny, { 'project_ids[]': String(demoId) });
    demoTree = await restrictedToken(manny, { 'project_ids[]': String(demoId), with_subprojects: '1' });
  });

  afterAll(async () => {
    await db.end();
  });

  test('the manager\'s token works inside its restriction', async () => {
    expect((await api('/projects/demo.json', withKey(demoOnly))).status).toBe(200);
    expect((await api('/projects/demo-sub.json', withKey(demoOnly))).status).toBe(403);
  });

  test.each(['close', 'reopen'])('%s on a project with a subproject outside the restriction is refused', async (action) => {
    const response = await send(demoOnly, 'PUT', `/projects/demo/${action}.json`);

    expect(response.status).toBe(403);
    expect(response.json().errors.join(' ')).toMatch(/outside this API token's restriction/);
    const rows = await db.query(`SELECT identifier, status FROM projects WHERE identifier IN ('demo', 'demo-sub')`);
    for (const row of rows[0] as Array<{ status: number }>) expect(row.status).toBe(1);
  });

  test('deleting a project with a subproject outside the restriction is refused', async () => {
    const response = await send(demoOnly, 'DELETE', '/projects/demo.json');

    expect([403, 422]).toContain(response.status);
    expect(await one<{ n: number }>(`SELECT COUNT(*) AS n FROM projects WHERE identifier IN ('demo', 'demo-sub')`))
      .toEqual({ n: 2 });
  });

  test('deleting an issue whose subtask lies outside the restriction is refused', async () => {
    const parent = await one<{ id: number }>(
      `SELECT parent_id AS id FROM issues WHERE subject = 'Child in demo-sub'`,
    );
    const before = await one<{ n: number }>('SELECT COUNT(*) AS n FROM issues WHERE root_id = ?', [parent.id]);

    const response = await send(demoOnly, 'DELETE', `/issues/${parent.id}.json`);

    expect(response.status).toBe(403);
    expect(await one<{ n: number }>('SELECT COUNT(*) AS n FROM issues WHERE root_id = ?', [parent.id])).toEqual(before);
  });

  test('a project restriction allows no new top-level project', async () => {
    const response = await send(demoOnly, 'POST', '/projects.json', {
      project: { name: 'Escaped', identifier: `escaped-${Date.now()}` },
    });

    expect(response.status).toBe(403);
    expect(await one<{ n: number }>(`SELECT COUNT(*) AS n FROM projects WHERE name = 'Escaped'`)).toEqual({ n: 0 });
  });

  test('a restricted token with all permissions reads its owner\'s account but does not change it', async () => {
    expect((await api('/my/account.json', withKey(demoTree))).status).toBe(200);
    const before = await one<{ mail: string }>(
      `SELECT e.address AS mail FROM email_addresses e JOIN users u ON u.id = e.user_id
        WHERE u.login = 'manny' AND e.is_default = 1`,
    );

    const response = await send(demoTree, 'PUT', '/my/account.json', { user: { mail: 'taken-over@example.net' } });

    expect(response.status).toBe(403);
    expect(response.json().errors.join(' ')).toMatch(/edit_own_account/);
    expect(await one<{ mail: string }>(
      `SELECT e.address AS mail FROM email_addresses e JOIN users u ON u.id = e.user_id
        WHERE u.login = 'manny' AND e.is_default = 1`,
    )).toEqual(before);
  });

  test('issue filters on relations see no relation to a hidden issue', async () => {
    const parent = await one<{ id: number }>(`SELECT parent_id AS id FROM issues WHERE subject = 'Child in demo-sub'`);
    const path = '/issues.json?set_filter=1&status_id=*&f[]=relates&op[relates]=*&limit=100';
    const listed = async (token: string) =>
      ((await api(path, withKey(token))).json().issues as Array<{ id: number }>).map((i) => i.id);
    const alice = await WebSession.login('alice', 'alice-demo-pass');
    const unrestricted = await restrictedToken(alice, {});

    expect(await listed(unrestricted)).toContain(parent.id);
    expect(await listed(demoOnly)).not.toContain(parent.id);
  });
});
