import type mysql from 'mysql2/promise';
import { api, database, E2E, legacyKeyOf, restrictedToken, WebSession, withKey } from '../support/redmine';

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

  describe('through subtasks and relations, under a tracker restriction', () => {
    let alice: WebSession;
    let firstTracker: string;
    let secondTracker: string;
    let trackers: number[];
    const created: number[] = [];

    beforeAll(async () => {
      alice = await WebSession.login('alice', 'alice-demo-pass');
      const [rows] = await db.query('SELECT id FROM trackers ORDER BY position LIMIT 2');
      trackers = (rows as Array<{ id: number }>).map((t) => t.id);
      firstTracker = await restrictedToken(alice, { 'tracker_ids[]': String(trackers[0]) });
      secondTracker = await restrictedToken(alice, { 'tracker_ids[]': String(trackers[1]) });
    });

    afterAll(async () => {
      // Alice may not delete issues.
      if (created.length) {
        await db.query('DELETE FROM issue_relations WHERE issue_from_id IN (?) OR issue_to_id IN (?)', [created, created]);
        await db.query('DELETE FROM issues WHERE id IN (?)', [created]);
      }
    });

    const issue = async (token: string, fields: object) => {
      const response = await send(token, 'POST', '/issues.json', { issue: { project_id: 'demo', ...fields } });
      if (response.status === 201) created.push(response.json().issue.id);
      return response;
    };
    const seeded = async () => {
      const child = await one<{ id: number; parent_id: number }>(
        'SELECT id, parent_id FROM issues WHERE tracker_id = ? AND parent_id IS NOT NULL AND project_id = ? ORDER BY id LIMIT 1',
        [trackers[1], demoId],
      );
      const parent = await one<object>('SELECT start_date, due_date, priority_id, lft, rgt FROM issues WHERE id = ?', [child.parent_id]);
      return { child, parent, parentId: child.parent_id };
    };

    test('a new subtask under a visible issue whose parent is hidden is refused', async () => {
      const { child, parent, parentId } = await seeded();

      const response = await issue(secondTracker, {
        tracker_id: trackers[1], subject: 'grandchild', parent_issue_id: child.id,
        start_date: '2020-01-01', due_date: '2031-06-30', priority_id: 5,
      });

      expect(response.status).toBe(422);
      expect(response.json().errors.join(' ')).toMatch(/outside this API token's restriction/);
      expect(await one<object>('SELECT start_date, due_date, priority_id, lft, rgt FROM issues WHERE id = ?', [parentId]))
        .toEqual(parent);
    });

    test('moving a visible issue under one whose parent is hidden is refused', async () => {
      const { child, parent, parentId } = await seeded();
      const loose = await issue(secondTracker, { tracker_id: trackers[1], subject: 'loose', due_date: '2035-01-01' });
      expect(loose.status).toBe(201);

      const response = await send(secondTracker, 'PUT', `/issues/${loose.json().issue.id}.json`, {
        issue: { parent_issue_id: child.id },
      });

      expect(response.status).toBe(422);
      expect(await one<object>('SELECT start_date, due_date, priority_id, lft, rgt FROM issues WHERE id = ?', [parentId]))
        .toEqual(parent);
    });

    test.each(['precedes', 'follows'])('a "%s" relation that would reschedule a hidden subtask is refused', async (type) => {
      const { parentId } = await seeded(); // visible to the first tracker, with a subtask of the second
      const own = await issue(firstTracker, { tracker_id: trackers[0], subject: `${type} the parent`, due_date: '2040-01-01' });
      expect(own.status).toBe(201);
      const ownId = own.json().issue.id as number;
      const [from, to] = type === 'precedes' ? [ownId, parentId] : [parentId, ownId];

      const response = await send(firstTracker, 'POST', `/issues/${from}/relations.json`, {
        relation: { issue_to_id: to, relation_type: type },
      });

      expect(response.status).toBe(422);
      expect(await one<{ n: number }>(
        'SELECT COUNT(*) AS n FROM issue_relations WHERE ? IN (issue_from_id, issue_to_id)', [ownId],
      )).toEqual({ n: 0 });
    });
  });

  describe('under a tracker restriction, changes to whole projects and categories', () => {
    let mannyFirstTracker: string;
    let trackers: number[];

    beforeAll(async () => {
      const [rows] = await db.query('SELECT id FROM trackers ORDER BY position LIMIT 2');
      trackers = (rows as Array<{ id: number }>).map((t) => t.id);
      mannyFirstTracker = await restrictedToken(manny, { 'tracker_ids[]': String(trackers[0]) });
    });

    test('closing or deleting a leaf project with issues of other trackers is refused', async () => {
      const closed = await send(mannyFirstTracker, 'PUT', '/projects/demo-sub/close.json');
      expect(closed.status).toBe(403);
      expect(closed.json().errors.join(' ')).toMatch(/outside this API token's restriction/);

      const deleted = await send(mannyFirstTracker, 'DELETE', '/projects/demo-sub.json');
      expect(deleted.status).toBe(403);
      // Redmine 5.0 lets administrators alone delete projects; 6.x has a permission for it.
      if (E2E.instance !== 'e2e') expect(deleted.json().errors.join(' ')).toMatch(/outside this API token's restriction/);
      expect(await one<{ status: number }>(`SELECT status FROM projects WHERE identifier = 'demo-sub'`)).toEqual({ status: 1 });
    });

    test('membership changes are refused: roles reach the issues of every tracker', async () => {
      const adminId = (await one<{ id: number }>(`SELECT id FROM users WHERE login = 'admin'`)).id;
      const role = await one<{ id: number }>(`SELECT id FROM roles WHERE builtin = 0 ORDER BY position LIMIT 1`);
      try {
        const response = await send(mannyFirstTracker, 'POST', '/projects/demo/memberships.json', {
          membership: { user_id: adminId, role_ids: [role.id] },
        });

        expect(response.status).toBe(403);
        expect(response.json().errors.join(' ')).toMatch(/outside this API token's restriction/);
      } finally {
        await db.query('DELETE mr FROM member_roles mr JOIN members m ON m.id = mr.member_id WHERE m.user_id = ? AND m.project_id = ?', [adminId, demoId]);
        await db.query('DELETE FROM members WHERE user_id = ? AND project_id = ?', [adminId, demoId]);
      }
    });

    test('project settings are refused: they reach the issues of every tracker', async () => {
      const response = await send(mannyFirstTracker, 'PUT', '/projects/demo.json', { project: { tracker_ids: [trackers[0]] } });

      expect(response.status).toBe(403);
      expect(await one<{ n: number }>('SELECT COUNT(*) AS n FROM projects_trackers WHERE project_id = ?', [demoId]))
        .not.toEqual({ n: 1 });
      const text = await send(mannyFirstTracker, 'PUT', '/projects/demo.json', { project: { description: 'Seeded demo' } });
      expect(text.status).toBe(204);
    });

    describe('issue changes that carry hidden issues along', () => {
      const created: number[] = [];
      const issue = async (fields: object) => {
        const response = await send(demoOnly, 'POST', '/issues.json', { issue: { project_id: 'demo', ...fields } });
        expect(response.status).toBe(201);
        created.push(response.json().issue.id);
        return response.json().issue.id as number;
      };

      afterAll(async () => {
        if (created.length === 0) return;
        await db.query('DELETE FROM issue_relations WHERE issue_from_id IN (?) OR issue_to_id IN (?)', [created, created]);
        await db.query('DELETE FROM issues WHERE id IN (?)', [created]);
      });

      test('closing an issue whose hidden duplicate would close with it is refused', async () => {
        const visible = await issue({ tracker_id: trackers[0], subject: 'original' });
        const duplicate = await issue({ tracker_id: trackers[1], subject: 'duplicate' });
        const related = await send(demoOnly, 'POST', `/issues/${duplicate}/relations.json`, {
          relation: { issue_to_id: visible, relation_type: 'duplicates' },
        });
        expect(related.status).toBe(201);
        const closed = await one<{ id: number }>('SELECT id FROM issue_statuses WHERE is_closed = 1 ORDER BY position LIMIT 1');

        const response = await send(mannyFirstTracker, 'PUT', `/issues/${visible}.json`, { issue: { status_id: closed.id } });

        expect(response.status).toBe(422);
        expect(response.json().errors.join(' ')).toMatch(/outside this API token's restriction/);
        const rows = await db.query('SELECT s.is_closed FROM issues i JOIN issue_statuses s ON s.id = i.status_id WHERE i.id IN (?)', [[visible, duplicate]]);
        for (const row of rows[0] as Array<{ is_closed: number }>) expect(row.is_closed).toBe(0);
      });

      test('moving an issue whose hidden subtask would move with it is refused', async () => {
        const parent = await issue({ tracker_id: trackers[0], subject: 'moving parent' });
        const hiddenChild = await issue({ tracker_id: trackers[1], subject: 'hidden child', parent_issue_id: parent });
        const target = await issue({ tracker_id: trackers[0], subject: 'new parent' });

        const response = await send(mannyFirstTracker, 'PUT', `/issues/${parent}.json`, { issue: { parent_issue_id: target } });

        expect(response.status).toBe(422);
        expect(response.json().errors.join(' ')).toMatch(/outside this API token's restriction/);
        expect(await one<object>('SELECT parent_id FROM issues WHERE id = ?', [parent])).toEqual({ parent_id: null });
        expect(await one<object>('SELECT parent_id FROM issues WHERE id = ?', [hiddenChild])).toEqual({ parent_id: parent });
      });
    });

    test('deleting a category that issues of other trackers have is refused', async () => {
      const category = await send(demoOnly, 'POST', '/projects/demo/issue_categories.json', {
        issue_category: { name: `reach ${Date.now()}` },
      });
      expect(category.status).toBe(201);
      const categoryId = category.json().issue_category.id as number;
      try {
        await db.query(
          'UPDATE issues SET category_id = ? WHERE project_id = ? AND tracker_id = ? ORDER BY id LIMIT 1',
          [categoryId, demoId, trackers[1]],
        );

        const response = await send(mannyFirstTracker, 'DELETE', `/issue_categories/${categoryId}.json`);

        expect(response.status).toBe(403);
        expect(await one<{ n: number }>('SELECT COUNT(*) AS n FROM issues WHERE category_id = ?', [categoryId]))
          .toEqual({ n: 1 });
      } finally {
        await db.query('UPDATE issues SET category_id = NULL WHERE category_id = ?', [categoryId]);
        await db.query('DELETE FROM issue_categories WHERE id = ?', [categoryId]);
      }
    });
  });

  test('narrowing the sharing of a version that issues elsewhere use is refused', async () => {
    const created = await send(demoOnly, 'POST', '/projects/demo/versions.json', {
      version: { name: `shared ${Date.now()}`, sharing: 'descendants' },
    });
    expect(created.status).toBe(201);
    const versionId = created.json().version.id as number;
    const elsewhere = await one<{ id: number }>(
      `SELECT i.id FROM issues i JOIN projects p ON p.id = i.project_id WHERE p.identifier = 'demo-sub' ORDER BY i.id LIMIT 1`,
    );
    expect(created.json().version.sharing).toBe('descendants');
    await db.query('UPDATE issues SET fixed_version_id = ? WHERE id = ?', [versionId, elsewhere.id]);
    try {
      const response = await send(demoOnly, 'PUT', `/versions/${versionId}.json`, { version: { sharing: 'none' } });

      expect(response.status).toBe(403);
      expect(await one<object>('SELECT fixed_version_id FROM issues WHERE id = ?', [elsewhere.id]))
        .toEqual({ fixed_version_id: versionId });
      expect((await send(demoOnly, 'PUT', `/versions/${versionId}.json`, { version: { description: 'ok' } })).status).toBe(204);
    } finally {
      await db.query('UPDATE issues SET fixed_version_id = NULL WHERE fixed_version_id = ?', [versionId]);
      await db.query('DELETE FROM versions WHERE id = ?', [versionId]);
    }
  });

  test('a wiki page moved to another project cannot be changed through the redirect it left', async () => {
    const adminKey = await legacyKeyOf(db, 'admin');
    const admin = (method: string, path: string, body?: object) => send(adminKey, method, path, body);
    const title = `MovedOut${Date.now()}`;
    const modules = (await api('/projects/other.json?include=enabled_modules', withKey(adminKey))).json()
      .project.enabled_modules.map((m: { name: string }) => m.name) as string[];
    expect((await admin('PUT', '/projects/other.json', { project: { enabled_module_names: [...modules, 'wiki'] } })).status).toBe(204);
    try {
      const otherWiki = await one<{ id: number }>(`SELECT w.id FROM wikis w JOIN projects p ON p.id = w.project_id WHERE p.identifier = 'other'`);
      expect((await admin('PUT', `/projects/demo/wiki/${title}.json`, { wiki_page: { text: 'first' } })).status).toBe(201);
      expect((await admin('PUT', `/projects/demo/wiki/${title}.json`, { wiki_page: { wiki_id: otherWiki.id, text: 'in other' } })).status).toBe(204);
      const alice = await WebSession.login('alice', 'alice-demo-pass');
      const aliceDemo = await restrictedToken(alice, { 'project_ids[]': String(demoId) });

      const response = await send(aliceDemo, 'PUT', `/projects/demo/wiki/${title}.json`, { wiki_page: { text: 'overwritten' } });

      expect(response.status).toBe(403);
      const page = (await api(`/projects/other/wiki/${title}.json`, withKey(adminKey))).json().wiki_page;
      expect(page.text).toBe('in other');
    } finally {
      await admin('DELETE', `/projects/other/wiki/${title}.json`);
      await db.query('DELETE FROM wiki_redirects WHERE title = ?', [title]);
      await admin('PUT', '/projects/other.json', { project: { enabled_module_names: modules } });
    }
  });

  test('a personal token sent to a page that takes no API credential is refused, not ignored', async () => {
    for (const init of [withKey(demoOnly), { headers: { Authorization: `Bearer ${demoOnly}` } }]) {
      const response = await api('/activity.atom', init);
      expect(response.status).toBe(401);
    }
    expect((await api(`/activity.atom?key=${demoOnly}`)).status).toBe(401);
    expect((await api('/activity.atom')).status).toBe(200);
    // Core's own web-service keys stay core's: the repository service answers for itself.
    const sys = await api('/sys/projects.xml?key=not-a-token');
    expect(sys.status).not.toBe(401);
  });

  test('a project restriction cannot make its project a top-level one', async () => {
    const subId = (await one<{ id: number }>(`SELECT id FROM projects WHERE identifier = 'demo-sub'`)).id;
    const subOnly = await restrictedToken(manny, { 'project_ids[]': String(subId) });

    const response = await send(subOnly, 'PUT', '/projects/demo-sub.json', { project: { parent_id: '' } });

    expect(response.status).toBe(403);
    expect(await one<object>(`SELECT parent_id FROM projects WHERE identifier = 'demo-sub'`)).toEqual({ parent_id: demoId });
  });

  test('a group\'s memberships list only the projects of the restriction', async () => {
    const adminKey = await legacyKeyOf(db, 'admin');
    const admin = (method: string, path: string, body?: object) => send(adminKey, method, path, body);
    const alice = await WebSession.login('alice', 'alice-demo-pass');
    const aliceDemo = await restrictedToken(alice, { 'project_ids[]': String(demoId) });
    const aliceAll = await restrictedToken(alice, {});
    const group = await admin('POST', '/groups.json', { group: { name: `reach ${Date.now()}` } });
    expect(group.status).toBe(201);
    const groupId = group.json().group.id as number;
    try {
      const role = await one<{ id: number }>(`SELECT id FROM roles WHERE builtin = 0 ORDER BY position LIMIT 1`);
      for (const project of ['demo', 'other']) {
        const member = await admin('POST', `/projects/${project}/memberships.json`, {
          membership: { user_id: groupId, role_ids: [role.id] },
        });
        expect(member.status).toBe(201);
      }
      const projects = async (token: string) =>
        ((await api(`/groups/${groupId}.json?include=memberships`, withKey(token))).json().group.memberships as
          Array<{ project: { name: string } }>).map((m) => m.project.name).sort();

      expect(await projects(aliceAll)).toEqual(['Demo project', 'Other project']);
      expect(await projects(aliceDemo)).toEqual(['Demo project']);
    } finally {
      await admin('DELETE', `/groups/${groupId}.json`);
    }
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
