import { projectAllowed } from '../../../src/domain/authorizer';
import { digestOf, generateToken } from '../../../src/domain/token-format';
import { createFakeDomain } from '../../support/domain-graph';

const LEGACY_KEY = '0123456789abcdef0123456789abcdef01234567';

async function domainWithToken(options = {}) {
  const domain = createFakeDomain(options);
  domain.users.add(7);
  const created = await domain.service.create({ userId: 7, name: 'ci' }, null);
  return { ...domain, created };
}

describe('Authorizer', () => {
  describe('authorize() with a personal token', () => {
    test('allows a valid token as its owner and records the use', async () => {
      const { authorizer, created, tokens, usage } = await domainWithToken();

      const result = await authorizer.authorize({ credential: created.plaintext, remoteIp: '10.1.2.3' });
      await usage.flush();

      expect(result).toMatchObject({ decision: 'allow', kind: 'token', userId: 7 });
      expect(tokens.uses).toEqual([expect.objectContaining({ id: created.token.id, ip: '10.1.2.3' })]);
    });

    test('records the last use at most once a minute', async () => {
      const { authorizer, created, tokens, usage } = await domainWithToken();

      for (let i = 0; i < 5; i++) {
        await authorizer.authorize({ credential: created.plaintext, remoteIp: null });
      }
      await usage.flush();

      expect(tokens.uses).toHaveLength(1);
    });

    test('serves repeated calls from the cache', async () => {
      const { authorizer, created, tokens } = await domainWithToken();

      await authorizer.authorize({ credential: created.plaintext, remoteIp: null });
      await authorizer.authorize({ credential: created.plaintext, remoteIp: null });

      expect(tokens.lookups).toBe(1);
    });

    test('denies an expired token with its expiry day', async () => {
      const { authorizer, created, clock } = await domainWithToken();
      clock.advance(200 * 86_400_000);

      const result = await authorizer.authorize({ credential: created.plaintext, remoteIp: null });

      expect(result).toMatchObject({ decision: 'deny', reason: 'expired' });
      expect(result.decision === 'deny' && result.message).toMatch(/expired on \d{4}-\d{2}-\d{2}/);
    });

    test('denies a revoked token at once, even when it was cached', async () => {
      const { authorizer, created, service } = await domainWithToken();
      await authorizer.authorize({ credential: created.plaintext, remoteIp: null });

      await service.revoke(created.token.id, 7, { userId: 7 });
      const result = await authorizer.authorize({ credential: created.plaintext, remoteIp: null });

      expect(result).toMatchObject({ decision: 'deny', reason: 'revoked' });
    });

    test('denies a token whose owner is locked once the user cache is dropped', async () => {
      const { authorizer, created, users, cache } = await domainWithToken();
      await authorizer.authorize({ credential: created.plaintext, remoteIp: null });

      users.add(7, 'locked');
      cache.forgetUser(7);
      const result = await authorizer.authorize({ credential: created.plaintext, remoteIp: null });

      expect(result).toMatchObject({ decision: 'deny', reason: 'user_locked', message: 'the owner of this API token is locked' });
    });

    test('says so when the owner was deleted', async () => {
      const { authorizer, created, users, cache } = await domainWithToken();

      users.users.delete(7);
      cache.forgetUser(7);
      const result = await authorizer.authorize({ credential: created.plaintext, remoteIp: null });

      expect(result).toMatchObject({ reason: 'user_locked', message: 'the owner of this API token no longer exists' });
    });

    test('re-reads the owner status when the user cache expires', async () => {
      const { authorizer, created, users, clock } = await domainWithToken({ userTtlMs: 1 });
      await authorizer.authorize({ credential: created.plaintext, remoteIp: null });
      users.add(7, 'locked');
      await new Promise((resolve) => setTimeout(resolve, 5));
      clock.advance(10);

      const result = await authorizer.authorize({ credential: created.plaintext, remoteIp: null });

      expect(result).toMatchObject({ decision: 'deny', reason: 'user_locked' });
    });

    test('denies an unknown but well-formed token and remembers the miss', async () => {
      const { authorizer, tokens } = await domainWithToken();
      const stranger = generateToken();

      const first = await authorizer.authorize({ credential: stranger, remoteIp: null });
      await authorizer.authorize({ credential: stranger, remoteIp: null });

      expect(first).toMatchObject({ decision: 'deny', reason: 'unknown' });
      expect(tokens.lookups).toBe(1);
    });
  });

  describe('authorize() with a scoped token', () => {
    async function scoped(scopes: string[]) {
      const domain = createFakeDomain();
      domain.users.add(7);
      const created = await domain.service.create({ userId: 7, name: 'scoped', scopes }, null);
      return { ...domain, created };
    }

    test('allows an endpoint one of whose permissions the token holds', async () => {
      const { authorizer, created } = await scoped(['view_issues']);

      const result = await authorizer.authorize({
        credential: created.plaintext, remoteIp: null, requiredScopes: ['view_issues', 'add_issues'],
      });

      expect(result.decision).toBe('allow');
    });

    test('refuses an endpoint none of whose permissions the token holds, naming them', async () => {
      const { authorizer, created } = await scoped(['view_issues']);

      const result = await authorizer.authorize({
        credential: created.plaintext, remoteIp: null, requiredScopes: ['add_issues'], endpoint: 'issues/create',
      });

      expect(result).toMatchObject({
        decision: 'deny',
        reason: 'scope_denied',
        message: "this API token's scopes do not allow issues/create (needs one of: add_issues)",
      });
    });

    test('an unscoped token, or an endpoint that needs no permission, passes the gate', async () => {
      const { authorizer, created } = await domainWithToken();
      const narrow = await scoped(['view_issues']);

      const unscoped = await authorizer.authorize({
        credential: created.plaintext, remoteIp: null, requiredScopes: ['admin'],
      });
      const open = await narrow.authorizer.authorize({ credential: narrow.created.plaintext, remoteIp: null });

      expect(unscoped.decision).toBe('allow');
      expect(open.decision).toBe('allow');
    });
  });

  describe('authorize() with garbage', () => {
    test.each([
      ['empty', ''],
      ['10 kB', 'rmp_' + 'a'.repeat(10_000)],
      ['wrong checksum', 'rmp_' + 'a'.repeat(49)],
      ['non-ASCII', 'rmp_ünïcødé'],
      ['whitespace', '   '],
    ])('refuses %s as malformed without any lookup', async (_label, credential) => {
      const { authorizer, tokens, legacyKeys } = await domainWithToken();

      const result = await authorizer.authorize({ credential, remoteIp: null });

      expect(result).toMatchObject({ decision: 'deny', reason: 'malformed' });
      expect(tokens.lookups + legacyKeys.lookups).toBe(0);
    });

    test('a flood of unknown tokens never pushes a real one out of the cache', async () => {
      const { authorizer, created, tokens } = await domainWithToken({ maxEntries: 10, maxMisses: 10 });
      await authorizer.authorize({ credential: created.plaintext, remoteIp: null });

      for (let i = 0; i < 500; i++) {
        await authorizer.authorize({ credential: generateToken(), remoteIp: null });
      }
      const before = tokens.lookups;
      await authorizer.authorize({ credential: created.plaintext, remoteIp: null });

      expect(tokens.lookups).toBe(before);
    });
  });

  describe('authorize() with a legacy key', () => {
    test('allows a known key when the policy allows legacy keys', async () => {
      const domain = createFakeDomain();
      domain.users.add(3);
      domain.legacyKeys.keys.set(LEGACY_KEY, 3);

      const result = await domain.authorizer.authorize({ credential: LEGACY_KEY, remoteIp: null });

      expect(result).toMatchObject({ decision: 'allow', kind: 'legacy', userId: 3 });
    });

    test('refuses every legacy key when the policy refuses them', async () => {
      const domain = createFakeDomain();
      domain.users.add(3);
      domain.legacyKeys.keys.set(LEGACY_KEY, 3);
      domain.policyStore.settings = { legacy_key_policy: 'refused' };
      await domain.policy.refresh();

      const result = await domain.authorizer.authorize({ credential: LEGACY_KEY, remoteIp: null });

      expect(result).toMatchObject({ decision: 'deny', reason: 'legacy_key_refused' });
      expect(domain.legacyKeys.lookups).toBe(0);
    });

    test('refuses the key of a locked user', async () => {
      const domain = createFakeDomain();
      domain.users.add(3, 'locked');
      domain.legacyKeys.keys.set(LEGACY_KEY, 3);

      const result = await domain.authorizer.authorize({ credential: LEGACY_KEY, remoteIp: null });

      expect(result).toMatchObject({ decision: 'deny', reason: 'user_locked' });
    });

    test('keys the cache by digest, so a reset key stops working after invalidation', async () => {
      const domain = createFakeDomain();
      domain.users.add(3);
      domain.legacyKeys.keys.set(LEGACY_KEY, 3);
      await domain.authorizer.authorize({ credential: LEGACY_KEY, remoteIp: null });

      domain.legacyKeys.keys.delete(LEGACY_KEY);
      domain.cache.forgetUser(3);
      const result = await domain.authorizer.authorize({ credential: LEGACY_KEY, remoteIp: null });

      expect(result).toMatchObject({ decision: 'deny', reason: 'unknown' });
      expect(domain.cache.credential(digestOf(LEGACY_KEY))).toBeUndefined();
    });
  });

  test('a row read before a revocation is not cached after it', async () => {
    const { authorizer, created, service, tokens, cache } = await domainWithToken();
    const realFind = tokens.findAuthToken.bind(tokens);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    tokens.findAuthToken = async (digest) => {
      const row = await realFind(digest); // read before the revocation
      await gate;
      return row;
    };

    const inFlight = authorizer.authorize({ credential: created.plaintext, remoteIp: null });
    await new Promise((resolve) => setImmediate(resolve));
    tokens.findAuthToken = realFind;
    await service.revoke(created.token.id, 7, null);
    release();
    await inFlight;

    expect(cache.credential(digestOf(created.plaintext))).toBeUndefined();
    expect(await authorizer.authorize({ credential: created.plaintext, remoteIp: null })).toMatchObject({
      decision: 'deny',
      reason: 'revoked',
    });
  });

  test('accepts a legacy key in upper case, as Redmine\'s database lookup does', async () => {
    const domain = createFakeDomain();
    domain.users.add(3);
    domain.legacyKeys.keys.set(LEGACY_KEY, 3);

    const result = await domain.authorizer.authorize({ credential: LEGACY_KEY.toUpperCase(), remoteIp: null });

    expect(result).toMatchObject({ decision: 'allow', userId: 3 });
  });

  test('propagates storage errors instead of allowing or denying', async () => {
    const { authorizer, tokens } = await domainWithToken();
    tokens.failWith = new Error('database down');

    await expect(authorizer.authorize({ credential: generateToken(), remoteIp: null })).rejects.toThrow(
      'database down',
    );
  });
});

describe('projectAllowed()', () => {
  const token = (projects: Array<[number, boolean]>) => ({
    id: 1, userId: 1, displayPrefix: '', expiresAt: 0, revokedAt: null, scopes: null, trackerIds: [],
    projects: projects.map(([projectId, includeSubprojects]) => ({ projectId, includeSubprojects })),
  });

  test.each([
    ['no restriction', [], 9, [], true],
    ['no project named', [[2, false]], 0, [], true],
    ['the project itself', [[2, false]], 2, [], true],
    ['another project', [[2, false]], 3, [], false],
    ['a subproject, subprojects included', [[2, true]], 7, [1, 2], true],
    ['a subproject, subprojects not included', [[2, false]], 7, [1, 2], false],
  ] as Array<[string, Array<[number, boolean]>, number, number[], boolean]>)(
    '%s', (_label, projects, projectId, ancestors, allowed) => {
      expect(projectAllowed(token(projects), projectId, ancestors)).toBe(allowed);
    },
  );
});

describe('writes to endpoints no scope covers', () => {
  test('are refused to scoped or restricted tokens and allowed to unrestricted ones', async () => {
    const domain = createFakeDomain();
    domain.users.add(7);
    const scoped = await domain.service.create({ userId: 7, name: 's', scopes: ['view_issues'] }, null);
    const restricted = await domain.service.create(
      { userId: 7, name: 'r', projects: [{ projectId: 1, includeSubprojects: false }] }, null,
    );
    const free = await domain.service.create({ userId: 7, name: 'f' }, null);
    const patch = (credential: string, method: string) =>
      domain.authorizer.authorize({ credential, remoteIp: null, requiredScopes: [], method, endpoint: 'attachments/update' });

    expect(await patch(scoped.plaintext, 'PATCH')).toMatchObject({ decision: 'deny', reason: 'scope_denied' });
    expect(await patch(restricted.plaintext, 'DELETE')).toMatchObject({ decision: 'deny', reason: 'scope_denied' });
    expect((await patch(restricted.plaintext, 'GET')).decision).toBe('allow');
    expect((await patch(free.plaintext, 'PATCH')).decision).toBe('allow');
  });

  test('are allowed to the admin scope without restrictions', async () => {
    const domain = createFakeDomain();
    domain.users.add(7);
    const admin = await domain.service.create({ userId: 7, name: 'a', scopes: ['admin', 'view_issues'] }, null);
    const restrictedAdmin = await domain.service.create(
      { userId: 7, name: 'ra', scopes: ['admin'], trackerIds: [1] }, null,
    );
    const update = (credential: string) =>
      domain.authorizer.authorize({ credential, remoteIp: null, requiredScopes: [], method: 'PUT', endpoint: 'users/update' });

    expect((await update(admin.plaintext)).decision).toBe('allow');
    expect(await update(restrictedAdmin.plaintext)).toMatchObject({
      decision: 'deny',
      message: expect.stringContaining('needs the admin scope without restrictions'),
    });
  });
});

describe('changing the own account', () => {
  const change = (domain: ReturnType<typeof createFakeDomain>, credential: string) =>
    domain.authorizer.authorize({
      credential, remoteIp: null, requiredScopes: ['edit_own_account'], method: 'PUT', endpoint: 'my/account',
    });

  test('is refused to a restricted token with all its owner\'s permissions', async () => {
    const domain = createFakeDomain();
    domain.users.add(7);
    const restricted = await domain.service.create(
      { userId: 7, name: 'r', projects: [{ projectId: 1, includeSubprojects: true }] }, null,
    );
    const trackers = await domain.service.create({ userId: 7, name: 't', trackerIds: [2] }, null);

    expect(await change(domain, restricted.plaintext)).toMatchObject({
      decision: 'deny', reason: 'scope_denied', message: expect.stringContaining('edit_own_account'),
    });
    expect((await change(domain, trackers.plaintext)).decision).toBe('deny');
  });

  test('is allowed to an unrestricted token and to a restricted one naming the scope', async () => {
    const domain = createFakeDomain();
    domain.users.add(7);
    const free = await domain.service.create({ userId: 7, name: 'f' }, null);
    const named = await domain.service.create(
      { userId: 7, name: 'n', scopes: ['edit_own_account'], projects: [{ projectId: 1, includeSubprojects: false }] },
      null,
    );

    expect((await change(domain, free.plaintext)).decision).toBe('allow');
    expect((await change(domain, named.plaintext)).decision).toBe('allow');
  });
});

describe('a stored scope list that reads as empty', () => {
  test('is refused: on the wire an empty list would mean every permission', async () => {
    const domain = createFakeDomain();
    domain.users.add(7);
    const created = await domain.service.create({ userId: 7, name: 'damaged', scopes: ['view_issues'] }, null);
    domain.tokens.rows[0].scopes = [];

    const answer = await domain.authorizer.authorize({
      credential: created.plaintext, remoteIp: null, requiredScopes: [], method: 'GET', endpoint: 'attachments/show',
    });

    expect(answer).toMatchObject({ decision: 'deny', reason: 'scope_denied', message: expect.stringContaining('no readable scopes') });
  });
});
