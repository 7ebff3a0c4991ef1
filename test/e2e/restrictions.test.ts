import type mysql from 'mysql2/promise';
import { api, database, WebSession, withKey } from '../support/redmine';

const PLAINTEXT = /rmp_[0-9A-Za-z]{49}/;

interface Ids {
  projects: Record<string, number>;
  trackers: number[];
}

async function restrictedToken(session: WebSession, form: Record<string, string | string[]>): Promise<string> {
  await session.get('/my/api_tokens/new');
  const body = new URLSearchParams({
    name: `restricted ${Date.now()} ${Math.random()}`,
    expires_on: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
    preset: 'all',
  });
  for (const [key, value] of Object.entries(form)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  const page = await session.postRaw('/my/api_tokens', body);
  const token = PLAINTEXT.exec(page.text)?.[0];
  if (!token) throw new Error(`no token created (${page.status}): ${page.text.slice(0, 300)}`);
  return token;
}

describe('tokens restricted to projects and trackers', () => {
  let db: mysql.Connection;
  let alice: WebSession;
  const ids: Ids = { projects: {}, trackers: [] };
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await database();
    alice = await WebSession.login('alice', 'alice-demo-pass');
    const [projects] = await db.query(`SELECT id, identifier FROM projects WHERE identifier IN ('demo', 'other', 'demo-sub')`);
    for (const p of projects as Array<{ id: number; identifier: string }>) ids.projects[p.identifier] = p.id;
    const [trackers] = await db.query('SELECT id FROM trackers ORDER BY position LIMIT 2');
    ids.trackers = (trackers as Array<{ id: number }>).map((t) => t.id);
    tokens.demoOnly = await restrictedToken(alice, { 'project_ids[]': String(ids.projects.demo) });
    tokens.demoTree = await restrictedToken(alice, { 'project_ids[]': String(ids.projects.demo), with_subprojects: '1' });
    tokens.firstTracker = await restrictedToken(alice, { 'tracker_ids[]': String(ids.trackers[0]) });
    tokens.unrestricted = await restrictedToken(alice, {});
  });

  afterAll(async () => {
    await db.end();
  });

  const projectIdsIn = (body: { issues?: Array<{ project: { id: number } }> }) =>
    [...new Set((body.issues ?? []).map((i) => i.project.id))].sort();

  test('an unrestricted token sees the three projects', async () => {
    const projects = (await api('/projects.json', withKey(tokens.unrestricted))).json().projects;

    expect(projects.map((p: { identifier: string }) => p.identifier).sort()).toEqual(['demo', 'demo-sub', 'other']);
  });

  test.each([
    ['/projects.json', 'projects'],
    ['/issues.json?status_id=*', 'issues'],
    ['/time_entries.json', 'time_entries'],
    ['/news.json', 'news'],
    ['/projects/demo/versions.json', 'versions'],
    ['/projects/demo/memberships.json', 'memberships'],
    ['/issues.json?project_id=demo&status_id=*', 'issues'],
  ])('%s with a token restricted to one project shows nothing of the others', async (path, key) => {
    const body = (await api(path, withKey(tokens.demoOnly))).json();
    const records = body[key] as Array<{ id: number; project?: { id: number } }>;
    const projectIds = new Set(records.map((r) => (key === 'projects' ? r.id : r.project?.id)));

    expect(records.length).toBeGreaterThan(0);
    expect([...projectIds]).toEqual([ids.projects.demo]);
    expect(JSON.stringify(records)).not.toMatch(/Other project|Demo subproject/);
  });

  test.each([
    '/projects/other.json',
    '/issues.json?project_id=other',
    '/projects/other/memberships.json',
    '/projects/other/versions.json',
    '/projects/demo-sub.json',
  ])('%s with a token restricted to another project answers 403', async (path) => {
    expect((await api(path, withKey(tokens.demoOnly))).status).toBe(403);
  });

  test('with subprojects included, the subproject is visible and the other project is not', async () => {
    const projects = (await api('/projects.json', withKey(tokens.demoTree))).json().projects;
    // Oldest first: the seeded issues of both projects lead, however many
    // issues earlier runs have added to this database since.
    const issues = (await api('/issues.json?status_id=*&sort=id&limit=100', withKey(tokens.demoTree))).json();

    expect(projects.map((p: { identifier: string }) => p.identifier).sort()).toEqual(['demo', 'demo-sub']);
    expect(projectIdsIn(issues)).toEqual([ids.projects.demo, ids.projects['demo-sub']].sort());
    expect((await api('/projects/demo-sub.json', withKey(tokens.demoTree))).status).toBe(200);
    expect((await api('/projects/other.json', withKey(tokens.demoTree))).status).toBe(403);
  });

  test('a token restricted to a tracker lists and shows only issues of that tracker', async () => {
    const issues = (await api('/issues.json?status_id=*&limit=100', withKey(tokens.firstTracker))).json().issues;
    const [rows] = await db.query('SELECT id FROM issues WHERE tracker_id = ? LIMIT 1', [ids.trackers[1]]);
    const otherTrackerIssue = (rows as Array<{ id: number }>)[0].id;

    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i: { tracker: { id: number } }) => i.tracker.id === ids.trackers[0])).toBe(true);
    expect([403, 404]).toContain((await api(`/issues/${otherTrackerIssue}.json`, withKey(tokens.firstTracker))).status);
  });

  test('an admin token restricted to a project is no admin, and a padded project id does not escape', async () => {
    const admin = await WebSession.login('admin', 'admin-demo-pass');
    const adminDemo = await restrictedToken(admin, { 'project_ids[]': String(ids.projects.demo) });

    expect((await api('/users.json', withKey(adminDemo))).status).toBe(403);
    expect((await api(`/projects/${ids.projects.other}%0A.json`, withKey(adminDemo))).status).toBe(403);
    const archive = await api(`/projects/${ids.projects.other}%0A/archive.json`, {
      method: 'PUT', headers: { 'X-Redmine-API-Key': adminDemo },
    });
    expect(archive.status).toBe(403);
    const [rows] = await db.query('SELECT status FROM projects WHERE id = ?', [ids.projects.other]);
    expect((rows as Array<{ status: number }>)[0].status).toBe(1);
  });

  test('the search answers nothing from a forbidden project', async () => {
    const body = (await api('/search.json?q=in&issues=1&limit=100', withKey(tokens.demoOnly))).json();

    expect(JSON.stringify(body)).not.toContain('in other');
    expect(JSON.stringify(body)).not.toContain('in demo-sub');
  });

  test('the token list shows the restriction', async () => {
    const page = await alice.get('/my/api_tokens');

    expect(page.text).toContain('Demo project +');
  });
});
