import type mysql from 'mysql2/promise';
import { api, database, WebSession } from '../support/redmine';

const PLAINTEXT = /rmp_[0-9A-Za-z]{49}/;

/** Creates a token through the web form, as a user would, with a preset or scopes. */
async function tokenFor(session: WebSession, preset: string, scopes: string[] = []): Promise<string> {
  await session.get('/my/api_tokens/new');
  const form: Record<string, string> = {
    name: `scopes ${preset} ${Date.now()} ${Math.random()}`,
    expires_on: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
    preset,
  };
  const body = new URLSearchParams(form);
  for (const scope of scopes) body.append('scopes[]', scope);
  const page = await session.postRaw('/my/api_tokens', body);
  const token = PLAINTEXT.exec(page.text)?.[0];
  if (!token) throw new Error(`no token created (${page.status}): ${page.text.slice(0, 300)}`);
  return token;
}

type Case = [method: string, path: string, body: object | null, status: number];

async function call(token: string, [method, path, body]: Case) {
  return api(path, {
    method,
    headers: { 'X-Redmine-API-Key': token, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
}

describe('scoped tokens on a running Redmine', () => {
  let db: mysql.Connection;
  let alice: WebSession;
  let admin: WebSession;
  let issueId = 0;
  let timeEntryId = 0;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await database();
    alice = await WebSession.login('alice', 'alice-demo-pass');
    admin = await WebSession.login('admin', 'admin-demo-pass');
    const [rows] = await db.query(
      `SELECT i.id FROM issues i JOIN projects p ON p.id = i.project_id WHERE p.identifier = 'demo' ORDER BY i.id LIMIT 1`,
    );
    issueId = (rows as Array<{ id: number }>)[0].id;
    const [entries] = await db.query(
      `SELECT t.id FROM time_entries t JOIN projects p ON p.id = t.project_id WHERE p.identifier = 'demo' LIMIT 1`,
    );
    timeEntryId = (entries as Array<{ id: number }>)[0].id;
    tokens.readOnly = await tokenFor(alice, 'read_only');
    tokens.timeTracking = await tokenFor(alice, 'time_tracking');
    tokens.all = await tokenFor(alice, 'all');
    tokens.viewIssues = await tokenFor(alice, 'custom', ['view_issues', 'view_project']);
    tokens.adminReadOnly = await tokenFor(admin, 'read_only');
    tokens.adminAll = await tokenFor(admin, 'all');
  });

  afterAll(async () => {
    await db.end();
  });

  const readOnlyCases = (): Case[] => [
    ['GET', '/issues.json?project_id=demo', null, 200],
    ['GET', `/issues/${issueId}.json`, null, 200],
    ['GET', '/projects/demo.json', null, 200],
    ['GET', '/users/current.json', null, 200],
    ['GET', '/my/account.json', null, 200],
    ['GET', '/time_entries.json', null, 200],
    ['POST', '/issues.json', { issue: { project_id: 'demo', subject: 'nope' } }, 403],
    ['PUT', `/issues/${issueId}.json`, { issue: { subject: 'changed' } }, 403],
    ['DELETE', `/issues/${issueId}.json`, null, 403],
    ['POST', '/time_entries.json', { time_entry: { issue_id: issueId, hours: 1 } }, 403],
    ['PUT', '/my/account.json', { user: { firstname: 'Mallory' } }, 403],
    ['POST', '/projects.json', { project: { name: 'x', identifier: 'x-by-token' } }, 403],
    ['PUT', '/projects/demo.json', { project: { name: 'renamed' } }, 403],
    ['DELETE', '/projects/demo.json', null, 403],
    ['PUT', '/projects/demo/wiki/Scoped.json', { wiki_page: { text: 'x' } }, 403],
    ['POST', '/users.json', { user: { login: 'evil' } }, 403],
  ];

  /**
   * One table, three presets: the status each preset must get. `W` marks a
   * write that an unrestricted token may make (2xx) and the others must not.
   */
  const table = (): Array<[string, string, object | null, { readOnly: number; timeTracking: number }]> => [
    ['GET', '/issues.json?project_id=demo', null, { readOnly: 200, timeTracking: 200 }],
    ['GET', `/issues/${issueId}.json?include=journals,relations`, null, { readOnly: 200, timeTracking: 200 }],
    ['GET', '/projects.json', null, { readOnly: 200, timeTracking: 200 }],
    ['GET', '/projects/demo.json', null, { readOnly: 200, timeTracking: 200 }],
    ['GET', '/projects/demo/versions.json', null, { readOnly: 200, timeTracking: 200 }],
    ['GET', '/enumerations/issue_priorities.json', null, { readOnly: 200, timeTracking: 200 }],
    ['GET', '/projects/demo/memberships.json', null, { readOnly: 200, timeTracking: 403 }],
    ['GET', '/projects/demo/news.json', null, { readOnly: 200, timeTracking: 403 }],
    ['GET', '/projects/demo/wiki/index.json', null, { readOnly: 200, timeTracking: 403 }],
    ['GET', '/time_entries.json', null, { readOnly: 200, timeTracking: 200 }],
    ['GET', '/issue_statuses.json', null, { readOnly: 200, timeTracking: 200 }],
    ['GET', '/trackers.json', null, { readOnly: 200, timeTracking: 200 }],
    ['GET', '/users/current.json', null, { readOnly: 200, timeTracking: 200 }],
    ['GET', '/my/account.json', null, { readOnly: 200, timeTracking: 200 }],
    ['GET', '/search.json?q=demo', null, { readOnly: 200, timeTracking: 403 }],
    ['POST', '/issues.json', { issue: { project_id: 'demo', subject: 'nope' } }, { readOnly: 403, timeTracking: 403 }],
    ['PUT', `/issues/${issueId}.json`, { issue: { subject: 'changed' } }, { readOnly: 403, timeTracking: 403 }],
    ['PUT', `/issues/${issueId}.json`, { issue: { notes: 'a note' } }, { readOnly: 403, timeTracking: 403 }],
    ['DELETE', `/issues/${issueId}.json`, null, { readOnly: 403, timeTracking: 403 }],
    ['POST', `/issues/${issueId}/relations.json`, { relation: { issue_to_id: issueId, relation_type: 'relates' } },
      { readOnly: 403, timeTracking: 403 }],
    ['POST', `/issues/${issueId}/watchers.json`, { user_id: 1 }, { readOnly: 403, timeTracking: 403 }],
    ['POST', '/time_entries.json', { time_entry: { issue_id: issueId, hours: 1, activity_id: 9 } },
      { readOnly: 403, timeTracking: 201 }],
    ['PUT', `/time_entries/${timeEntryId}.json`, { time_entry: { hours: 9 } }, { readOnly: 403, timeTracking: 403 }],
    ['DELETE', `/time_entries/${timeEntryId}.json`, null, { readOnly: 403, timeTracking: 403 }],
    ['DELETE', '/projects/demo/wiki/Scoped.json', null, { readOnly: 403, timeTracking: 403 }],
    ['PUT', '/users/1.json', { user: { firstname: 'Evil' } }, { readOnly: 403, timeTracking: 403 }],
    ['POST', '/projects.json', { project: { name: 'x', identifier: 'x-by-token' } }, { readOnly: 403, timeTracking: 403 }],
    ['PUT', '/projects/demo.json', { project: { name: 'renamed' } }, { readOnly: 403, timeTracking: 403 }],
    ['DELETE', '/projects/demo.json', null, { readOnly: 403, timeTracking: 403 }],
    ['POST', '/projects/demo/versions.json', { version: { name: 'v-token' } }, { readOnly: 403, timeTracking: 403 }],
    ['POST', '/projects/demo/issue_categories.json', { issue_category: { name: 'c' } },
      { readOnly: 403, timeTracking: 403 }],
    ['POST', '/projects/demo/memberships.json', { membership: { user_id: 1, role_ids: [3] } },
      { readOnly: 403, timeTracking: 403 }],
    ['PUT', '/projects/demo/wiki/Scoped.json', { wiki_page: { text: 'x' } }, { readOnly: 403, timeTracking: 403 }],
    ['PUT', '/my/account.json', { user: { firstname: 'Mallory' } }, { readOnly: 403, timeTracking: 403 }],
    ['POST', '/users.json', { user: { login: 'evil' } }, { readOnly: 403, timeTracking: 403 }],
    ['POST', '/uploads.json?filename=x.txt', null, { readOnly: 403, timeTracking: 403 }],
    // No scope covers attachment changes: a scoped token may not make them.
    ['PATCH', '/attachments/1.json', { attachment: { filename: 'x.txt' } }, { readOnly: 403, timeTracking: 403 }],
    ['DELETE', '/attachments/1.json', null, { readOnly: 403, timeTracking: 403 }],
    // Redmine marks close/delete_project "read" (allowed in closed projects): not in Read-only.
    ['PUT', '/projects/demo/close.json', null, { readOnly: 403, timeTracking: 403 }],
  ];

  test.each(['readOnly', 'timeTracking'] as const)('the %s preset gets the expected status on 39 endpoints', async (preset) => {
    const results = [];
    for (const [method, path, body, expected] of table()) {
      results.push([method, path, (await call(tokens[preset], [method, path, body, 0])).status, expected[preset]]);
    }

    expect(results.filter(([, , got, want]) => got !== want)).toEqual([]);
  });

  test('a read-only token reads and gets 403 on every write it tries', async () => {
    const results = [];
    for (const c of readOnlyCases()) results.push([c[0], c[1], (await call(tokens.readOnly, c)).status]);

    expect(results).toEqual(readOnlyCases().map((c) => [c[0], c[1], c[3]]));
  });

  test('a 403 says which scope is missing, in Redmine\'s error format', async () => {
    const response = await call(tokens.readOnly, ['PUT', '/my/account.json', { user: { firstname: 'M' } }, 403]);

    expect(response.json().errors[0]).toMatch(/scopes do not allow my\/account \(needs one of: edit_own_account\)/);
  });

  test('a time-tracking token logs time and reads issues, but cannot change issues or the account', async () => {
    const cases: Case[] = [
      ['POST', '/time_entries.json', { time_entry: { issue_id: issueId, hours: 1.5, activity_id: 9 } }, 201],
      ['GET', '/time_entries.json', null, 200],
      ['GET', '/projects/demo.json', null, 200],
      ['GET', '/issues.json?project_id=demo', null, 200],
      ['POST', '/issues.json', { issue: { project_id: 'demo', subject: 'nope' } }, 403],
      ['PUT', `/issues/${issueId}.json`, { issue: { subject: 'changed' } }, 403],
      ['PUT', '/my/account.json', { user: { firstname: 'M' } }, 403],
    ];
    const results = [];
    for (const c of cases) results.push([c[0], c[1], (await call(tokens.timeTracking, c)).status]);

    expect(results).toEqual(cases.map((c) => [c[0], c[1], c[3]]));
  });

  test('a token with all permissions writes as its owner', async () => {
    const created = await call(tokens.all, ['POST', '/issues.json', { issue: { project_id: 'demo', subject: 'scoped all' } }, 201]);
    const account = await call(tokens.all, ['PUT', '/my/account.json', { user: { firstname: 'Alice' } }, 204]);

    expect(created.status).toBe(201);
    expect(account.status).toBe(204);
  });

  test('chosen scopes allow exactly what they name', async () => {
    expect((await call(tokens.viewIssues, ['GET', '/issues.json?project_id=demo', null, 200])).status).toBe(200);
    expect((await call(tokens.viewIssues, ['GET', '/time_entries.json', null, 403])).status).toBe(403);
    expect((await call(tokens.viewIssues, ['GET', '/users/current.json', null, 403])).status).toBe(403);
  });

  test('reading one\'s own account by user id needs the account scope, as /users/current does', async () => {
    const [rows] = await db.query(`SELECT id FROM users WHERE login = 'alice'`);
    const aliceId = (rows as Array<{ id: number }>)[0].id;
    const refused = await call(tokens.viewIssues, ['GET', `/users/${aliceId}.json`, null, 403]);

    expect(refused.status).toBe(403);
    expect(refused.json().errors[0]).toMatch(/needs one of: view_own_account/);
    expect((await call(tokens.viewIssues, ['GET', `/users/${aliceId}.xml`, null, 403])).status).toBe(403);
    expect((await call(tokens.readOnly, ['GET', `/users/${aliceId}.json`, null, 200])).status).toBe(200);
  });

  test('a token without a listing\'s permission finds nothing of it, also through search', async () => {
    const searchOnly = await tokenFor(alice, 'custom', ['search_project', 'view_project']);

    const found = await call(searchOnly, ['GET', '/search.json?q=demo&limit=100', null, 200]);

    expect(found.status).toBe(200);
    expect(found.json().results.filter((r: { type: string }) => r.type !== 'project')).toEqual([]);
  });

  test('an admin\'s token acts as an admin only with the admin scope', async () => {
    expect((await call(tokens.adminReadOnly, ['GET', '/users.json', null, 403])).status).toBe(403);
    expect((await call(tokens.adminAll, ['GET', '/users.json', null, 200])).status).toBe(200);
  });

  test('the admin scope unlocks administration writes, which other scoped tokens are refused', async () => {
    const adminScope = await tokenFor(admin, 'custom', ['admin']);
    const [rows] = await db.query(`SELECT id FROM users WHERE login = 'alice'`);
    const update: Case = ['PUT', `/users/${(rows as Array<{ id: number }>)[0].id}.json`, { user: { firstname: 'Alice' } }, 204];

    expect((await call(adminScope, update)).status).toBe(204);
    const refused = await call(tokens.adminReadOnly, update);
    expect(refused.status).toBe(403);
    expect(refused.json().errors[0]).toMatch(/needs the admin scope/);
  });

  test('the admin scope is not offered to users who are no administrators', async () => {
    await alice.get('/my/api_tokens/new');
    const page = await alice.postRaw('/my/api_tokens', new URLSearchParams({
      name: `admin wanted ${Date.now()}`, expires_on: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
      preset: 'custom', 'scopes[]': 'admin',
    }));

    expect(page.status).toBe(422);
    expect(page.text).toContain('cannot be granted: admin');
  });

  test('the token list shows each token\'s scopes', async () => {
    const page = await alice.get('/my/api_tokens');

    expect(page.text).toContain('All permissions');
    expect(page.text).toMatch(/title="[^"]*view_issues[^"]*"/);
  });

  test('the reverse scope map is served to administrators as JSON', async () => {
    const map = await admin.get('/admin/api_token_scopes');

    expect(map.status).toBe(200);
    expect(map.json().scopes.view_issues).toContain('issues/index');
    expect(map.json().scopes.edit_own_account).toContain('PUT my/account');
    expect((await alice.get('/admin/api_token_scopes')).status).toBe(403);
  });
});
