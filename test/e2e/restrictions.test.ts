import type mysql from 'mysql2/promise';
import { api, database, restrictedToken, WebSession, withKey } from '../support/redmine';

interface Ids {
  projects: Record<string, number>;
  trackers: number[];
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

  test('subprojects can be included for some selected projects only', async () => {
    const mixed = await restrictedToken(alice, {
      'project_ids[]': String(ids.projects.other),
      'subproject_ids[]': String(ids.projects.demo),
    });
    const projects = (await api('/projects.json', withKey(mixed))).json().projects;

    expect(projects.map((p: { identifier: string }) => p.identifier).sort()).toEqual(['demo', 'demo-sub', 'other']);
    expect((await api('/projects/demo-sub.json', withKey(mixed))).status).toBe(200);
  });

  test('a token restricted to a tracker lists and shows only issues of that tracker', async () => {
    const issues = (await api('/issues.json?status_id=*&limit=100', withKey(tokens.firstTracker))).json().issues;
    const [rows] = await db.query('SELECT id FROM issues WHERE tracker_id = ? LIMIT 1', [ids.trackers[1]]);
    const otherTrackerIssue = (rows as Array<{ id: number }>)[0].id;

    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i: { tracker: { id: number } }) => i.tracker.id === ids.trackers[0])).toBe(true);
    expect([403, 404]).toContain((await api(`/issues/${otherTrackerIssue}.json`, withKey(tokens.firstTracker))).status);
    expect([403, 404]).toContain((await api(`/issues/${otherTrackerIssue}/relations.json`, withKey(tokens.firstTracker))).status);
    const relation = await api(`/issues/${otherTrackerIssue}/relations.json`, {
      method: 'POST',
      headers: { 'X-Redmine-API-Key': tokens.firstTracker, 'Content-Type': 'application/json' },
      body: JSON.stringify({ relation: { issue_to_id: issues[0].id, relation_type: 'relates' } }),
    });
    expect([403, 404]).toContain(relation.status);
  });

  test('time logged on issues of another tracker is hidden from a tracker-restricted token', async () => {
    const [rows] = await db.query(
      'SELECT t.id, t.issue_id FROM time_entries t JOIN issues i ON i.id = t.issue_id WHERE i.tracker_id = ? ORDER BY t.id',
      [ids.trackers[1]],
    );
    const onOtherTracker = rows as Array<{ id: number; issue_id: number }>;
    const [hidden] = onOtherTracker;
    const entryIds = async (path: string, token: string) =>
      ((await api(path, withKey(token))).json().time_entries as Array<{ id: number }>).map((t) => t.id);
    const listed = await entryIds('/time_entries.json?limit=100', tokens.firstTracker);

    expect(await entryIds(`/time_entries.json?issue_id=${hidden.issue_id}`, tokens.unrestricted)).toContain(hidden.id);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((id) => onOtherTracker.some((e) => e.id === id))).toEqual([]);
    const byIssue = await api(`/time_entries.json?issue_id=${hidden.issue_id}`, withKey(tokens.firstTracker));
    if (byIssue.status === 200) expect(byIssue.json().time_entries).toEqual([]);
    else expect([403, 404]).toContain(byIssue.status);
    expect((await api(`/time_entries/${hidden.id}.json`, withKey(tokens.unrestricted))).status).toBe(200);
    expect([403, 404]).toContain((await api(`/time_entries/${hidden.id}.json`, withKey(tokens.firstTracker))).status);
  });

  test('a tracker-restricted token creates issues and changes trackers only within its trackers', async () => {
    const send = (method: string, path: string, issue: object) =>
      api(path, {
        method,
        headers: { 'X-Redmine-API-Key': tokens.firstTracker, 'Content-Type': 'application/json' },
        body: JSON.stringify({ issue }),
      });
    const refused = await send('POST', '/issues.json', { project_id: 'demo', subject: 'other tracker', tracker_id: ids.trackers[1] });

    expect(refused.status).toBe(422);
    expect(refused.json().errors.join(' ')).toMatch(/Tracker/);

    const created = await send('POST', '/issues.json', { project_id: 'demo', subject: 'default tracker' });
    expect(created.status).toBe(201);
    const issue = created.json().issue;
    expect(issue.tracker.id).toBe(ids.trackers[0]);

    expect((await send('PUT', `/issues/${issue.id}.json`, { tracker_id: ids.trackers[1] })).status).toBe(422);
    const [rows] = await db.query('SELECT tracker_id FROM issues WHERE id = ?', [issue.id]);
    expect((rows as Array<{ tracker_id: number }>)[0].tracker_id).toBe(ids.trackers[0]);
    await db.query('DELETE FROM issues WHERE id = ?', [issue.id]); // alice may not delete issues
  });

  test('relations and children of a visible issue show nothing the restriction hides', async () => {
    const [rows] = await db.query(`SELECT parent_id FROM issues WHERE subject = 'Child in demo-sub'`);
    const parent = (rows as Array<{ parent_id: number }>)[0].parent_id;
    const [related] = await db.query(
      `SELECT r.issue_to_id AS id FROM issue_relations r JOIN issues i ON i.id = r.issue_to_id
        JOIN projects p ON p.id = i.project_id WHERE r.issue_from_id = ? AND p.identifier = 'other'`,
      [parent],
    );
    const otherIssue = (related as Array<{ id: number }>)[0].id;
    const relatedIds = async (token: string) =>
      ((await api(`/issues/${parent}/relations.json`, withKey(token))).json().relations as Array<{ issue_to_id: number }>)
        .map((r) => r.issue_to_id);
    const children = async (token: string) => {
      const response = await api(`/issues/${parent}.json?include=children`, withKey(token));
      expect(response.status).toBe(200);
      return (response.json().issue.children ?? []).map((c: { subject: string }) => c.subject) as string[];
    };

    expect(await relatedIds(tokens.unrestricted)).toContain(otherIssue);
    expect(await relatedIds(tokens.demoOnly)).not.toContain(otherIssue);
    expect(await relatedIds(tokens.demoTree)).not.toContain(otherIssue);
    expect(await children(tokens.unrestricted)).toEqual(expect.arrayContaining(['Child in demo-sub', expect.stringMatching(/^Child of /)]));
    expect(await children(tokens.demoOnly)).not.toContain('Child in demo-sub');
    expect(await children(tokens.demoTree)).toContain('Child in demo-sub');
    expect((await children(tokens.firstTracker)).filter((s) => s.startsWith('Child of '))).toEqual([]);
    const shown = (await api(`/issues/${parent}.json?include=relations`, withKey(tokens.demoOnly))).json().issue;
    const ends = (shown.relations ?? []).flatMap((r: { issue_id: number; issue_to_id: number }) => [r.issue_id, r.issue_to_id]);
    expect(ends).not.toContain(otherIssue);
  });

  test('an admin token restricted to a project is no admin, and a padded project id does not escape', async () => {
    const admin = await WebSession.login('admin', 'admin-demo-pass');
    const adminDemo = await restrictedToken(admin, { 'project_ids[]': String(ids.projects.demo) });

    expect((await api('/users.json', withKey(adminDemo))).status).toBe(403);
    const switched = await api('/users/current.json', {
      headers: { 'X-Redmine-API-Key': adminDemo, 'X-Redmine-Switch-User': 'alice' },
    });
    expect(switched.json().user.login).toBe('admin');
    const adminFirstTracker = await restrictedToken(admin, { 'tracker_ids[]': String(ids.trackers[0]) });
    const [hiddenRows] = await db.query('SELECT id FROM issues WHERE tracker_id = ? LIMIT 1', [ids.trackers[1]]);
    const hidden = (hiddenRows as Array<{ id: number }>)[0].id;
    const asSelf = await api(`/issues/${hidden}.json`, {
      headers: { 'X-Redmine-API-Key': adminFirstTracker, 'X-Redmine-Switch-User': 'admin' },
    });
    expect([403, 404]).toContain(asSelf.status);
    expect((await api(`/projects/${ids.projects.other}%0A.json`, withKey(adminDemo))).status).toBe(403);
    const archive = await api(`/projects/${ids.projects.other}%0A/archive.json`, {
      method: 'PUT', headers: { 'X-Redmine-API-Key': adminDemo },
    });
    expect(archive.status).toBe(403);
    const [rows] = await db.query('SELECT status FROM projects WHERE id = ?', [ids.projects.other]);
    expect((rows as Array<{ status: number }>)[0].status).toBe(1);
  });

  test.each([
    ['moving an issue', 'PUT', 'issue'],
    ['creating an issue', 'POST', 'issue'],
    ['logging time', 'POST', 'time_entry'],
  ])('%s into a forbidden project named in the body is refused with the gate\'s 403', async (_label, method, record) => {
    const [rows] = await db.query(`SELECT i.id FROM issues i JOIN projects p ON p.id = i.project_id
      WHERE p.identifier = 'demo' ORDER BY i.id LIMIT 1`);
    const issueId = (rows as Array<{ id: number }>)[0].id;
    const path = record === 'time_entry' ? '/time_entries.json' : method === 'PUT' ? `/issues/${issueId}.json` : '/issues.json';
    const body = record === 'time_entry'
      ? { time_entry: { project_id: 'other', hours: 1, activity_id: 9 } }
      : { issue: { project_id: ids.projects.other, subject: 'elsewhere' } };
    const response = await api(path, {
      method,
      headers: { 'X-Redmine-API-Key': tokens.demoOnly, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

    expect(response.status).toBe(403);
    expect(response.json().errors).toEqual(['this API token is restricted to other projects']);
  });

  test('a restricted token downloads the files of issues it can see, and only those', async () => {
    const attach = async (project: string) => {
      const upload = await api('/uploads.json?filename=reach.txt', {
        method: 'POST',
        headers: { 'X-Redmine-API-Key': tokens.unrestricted, 'Content-Type': 'application/octet-stream' },
        body: `file of ${project}`,
      });
      expect(upload.status).toBe(201);
      const created = await api('/issues.json', {
        method: 'POST',
        headers: { 'X-Redmine-API-Key': tokens.unrestricted, 'Content-Type': 'application/json' },
        body: JSON.stringify({ issue: {
          project_id: project, subject: `with a file in ${project}`,
          uploads: [{ token: upload.json().upload.token, filename: 'reach.txt', content_type: 'text/plain' }],
        } }),
      });
      expect(created.status).toBe(201);
      const issueId = created.json().issue.id as number;
      const [rows] = await db.query(`SELECT id FROM attachments WHERE container_type = 'Issue' AND container_id = ?`, [issueId]);
      return { issueId, attachmentId: (rows as Array<{ id: number }>)[0].id };
    };
    const inDemo = await attach('demo');
    const inOther = await attach('other');
    try {
      const download = (id: number) => api(`/attachments/download/${id}/reach.txt`, withKey(tokens.demoOnly));

      const visible = await download(inDemo.attachmentId);
      expect(visible.status).toBe(200);
      expect(visible.text).toBe('file of demo');
      const hidden = await download(inOther.attachmentId);
      expect([403, 404]).toContain(hidden.status);
      expect(hidden.text).not.toMatch(/Other project/);
      expect((await api(`/attachments/${inOther.attachmentId}.json`, withKey(tokens.demoOnly))).status).not.toBe(200);
    } finally {
      await db.query('DELETE FROM attachments WHERE container_type = \'Issue\' AND container_id IN (?)', [[inDemo.issueId, inOther.issueId]]);
      await db.query('DELETE FROM issues WHERE id IN (?)', [[inDemo.issueId, inOther.issueId]]);
    }
  });

  test('a restricted token gets the API formats, not web pages', async () => {
    expect((await api('/projects/demo/issues', withKey(tokens.demoOnly))).status).toBe(403);
    expect((await api('/projects/demo/issues.xhtml', withKey(tokens.demoOnly))).status).toBe(403);
    expect((await api('/projects/demo/issues.csv', withKey(tokens.demoOnly))).status).toBe(200);
    expect((await api('/projects/demo/issues.json', withKey(tokens.demoOnly))).status).toBe(200);
    expect((await api('/projects/demo/issues', withKey(tokens.unrestricted))).status).toBe(200);
  });

  test('the search answers nothing from a forbidden project', async () => {
    const body = (await api('/search.json?q=in&issues=1&limit=100', withKey(tokens.demoOnly))).json();

    expect(JSON.stringify(body)).not.toContain('in other');
    expect(JSON.stringify(body)).not.toContain('in demo-sub');
  });

  test('the token list shows the restriction', async () => {
    const page = await alice.get('/my/api_tokens');

    expect(page.text).toContain('Demo project + subprojects');
  });
});
