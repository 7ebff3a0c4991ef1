import { AlreadyExistsError } from '../../../src/domain/errors/already-exists-error';
import { FailedPreconditionError } from '../../../src/domain/errors/failed-precondition-error';
import { InvalidArgumentError } from '../../../src/domain/errors/invalid-argument-error';
import { NotFoundError } from '../../../src/domain/errors/not-found-error';
import { digestOf } from '../../../src/domain/token-format';
import { createFakeDomain } from '../../support/domain-graph';

const DAY = 86_400_000;

function setup() {
  const domain = createFakeDomain();
  domain.users.add(7);
  domain.users.add(8);
  return domain;
}

describe('TokenService', () => {
  describe('create()', () => {
    test('stores only the digest and a display prefix, and returns the plaintext once', async () => {
      const { service, tokens } = setup();

      const created = await service.create({ userId: 7, name: '  deploy bot ' }, { userId: 7 });

      expect(created.token.name).toBe('deploy bot');
      expect(tokens.rows[0].digest).toBe(digestOf(created.plaintext));
      expect(JSON.stringify(tokens.rows)).not.toContain(created.plaintext);
      expect(created.token.displayPrefix).toBe(created.plaintext.slice(0, 12));
    });

    test('applies the default lifetime, to the end of that UTC day', async () => {
      const { service, clock } = setup();

      const { token } = await service.create({ userId: 7, name: 'a' }, null);

      expect(token.expiresOn.toISOString()).toBe('2026-09-13T23:59:59.000Z');
      expect(token.createdOn).toEqual(clock.now());
    });

    test('refuses an expiry beyond the maximum lifetime and names the latest day', async () => {
      const { service, policyStore, policy, clock } = setup();
      policyStore.settings = { max_lifetime_days: '30' };
      await policy.refresh();

      const tooLate = new Date(clock.now().getTime() + 45 * DAY);

      await expect(service.create({ userId: 7, name: 'a', expiresOn: tooLate }, null)).rejects.toThrow(
        new InvalidArgumentError(
          'expiry date 2026-07-30 exceeds the maximum lifetime of 30 days (latest allowed: 2026-07-15)',
        ),
      );
    });

    test('accepts an expiry on the last allowed day', async () => {
      const { service, policyStore, policy } = setup();
      policyStore.settings = { max_lifetime_days: '30' };
      await policy.refresh();

      const { token } = await service.create(
        { userId: 7, name: 'a', expiresOn: new Date('2026-07-15T23:59:59Z') },
        null,
      );

      expect(token.expiresOn.toISOString()).toBe('2026-07-15T23:59:59.000Z');
    });

    test('refuses an expiry in the past', async () => {
      const { service } = setup();

      await expect(
        service.create({ userId: 7, name: 'a', expiresOn: new Date('2026-01-01T00:00:00Z') }, null),
      ).rejects.toThrow(/not in the future/);
    });

    test.each([
      ['blank', '   ', /blank/],
      ['too long', 'x'.repeat(101), /too long/],
      ['control characters', 'a\u0000b', /control/],
      ['a bidi override', 'safe\u202egnp.exe', /invisible/],
      ['only a zero-width space', '\u200b', /invisible/],
      ['a C1 control', 'a\u0085b', /control/],
    ])('refuses a %s name', async (_label, name, message) => {
      const { service } = setup();

      await expect(service.create({ userId: 7, name }, null)).rejects.toThrow(message);
    });

    test('refuses a second active token with the same name, but not after revocation', async () => {
      const { service } = setup();
      const first = await service.create({ userId: 7, name: 'ci' }, null);

      await expect(service.create({ userId: 7, name: 'ci' }, null)).rejects.toBeInstanceOf(AlreadyExistsError);
      await service.revoke(first.token.id, 7, null);
      await expect(service.create({ userId: 7, name: 'ci' }, null)).resolves.toBeDefined();
    });

    test('lets two users use the same name', async () => {
      const { service } = setup();
      await service.create({ userId: 7, name: 'ci' }, null);

      await expect(service.create({ userId: 8, name: 'ci' }, null)).resolves.toBeDefined();
    });

    test('refuses unknown and locked users', async () => {
      const { service, users } = setup();
      users.add(9, 'locked');

      await expect(service.create({ userId: 99, name: 'a' }, null)).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.create({ userId: 9, name: 'a' }, null)).rejects.toBeInstanceOf(
        FailedPreconditionError,
      );
      await expect(service.create({ userId: 0, name: 'a' }, null)).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
    });
  });

  describe('revoke()', () => {
    test('hides tokens of other owners as not found', async () => {
      const { service } = setup();
      const { token } = await service.create({ userId: 7, name: 'a' }, null);

      await expect(service.revoke(token.id, 8, { userId: 8 })).rejects.toBeInstanceOf(NotFoundError);
    });

    test('is idempotent and emits one event', async () => {
      const { service, events } = setup();
      const { token } = await service.create({ userId: 7, name: 'a' }, null);

      const once = await service.revoke(token.id, null, { userId: 1 });
      const twice = await service.revoke(token.id, null, { userId: 1 });

      expect(once.revokedOn).toEqual(twice.revokedOn);
      expect(once.revokedById).toBe(1);
      expect(events.filter((e) => e.event === 'revoked')).toHaveLength(1);
    });
  });

  describe('search()', () => {
    test('caps the page size and defaults the page', async () => {
      const { service } = setup();
      for (let i = 0; i < 3; i++) await service.create({ userId: 7, name: `t${i}` }, null);

      const result = await service.search({}, { perPage: 1000 });

      expect(result).toMatchObject({ page: 1, perPage: 100, totalCount: 3 });
    });
  });
});

describe('TokenService restrictions', () => {
  test('stores project and tracker restrictions, merged and sorted', async () => {
    const { service } = setup();

    const { token } = await service.create({
      userId: 7, name: 'r',
      projects: [{ projectId: 5, includeSubprojects: false }, { projectId: 2, includeSubprojects: true },
        { projectId: 5, includeSubprojects: true }],
      trackerIds: [3, 1, 3],
    }, null);

    expect(token.projects).toEqual([
      { projectId: 2, includeSubprojects: true }, { projectId: 5, includeSubprojects: true },
    ]);
    expect(token.trackerIds).toEqual([1, 3]);
  });

  test('refuses an invalid project id', async () => {
    const { service } = setup();

    await expect(service.create({ userId: 7, name: 'r', projects: [{ projectId: -1, includeSubprojects: false }] }, null))
      .rejects.toThrow(/project id/);
  });
});

describe('TokenService scopes', () => {
  test('stores scopes sorted and without duplicates; none means every permission', async () => {
    const { service } = setup();

    const scoped = await service.create({ userId: 7, name: 's', scopes: ['view_issues', 'log_time', 'view_issues'] }, null);
    const unscoped = await service.create({ userId: 7, name: 'u', scopes: [] }, null);

    expect(scoped.token.scopes).toEqual(['log_time', 'view_issues']);
    expect(unscoped.token.scopes).toBeNull();
  });

  test.each([['Bad-Name'], [''], ['a'.repeat(65)], ['drop table']])('refuses the scope name %p', async (scope) => {
    const { service } = setup();

    await expect(service.create({ userId: 7, name: 'x', scopes: [scope] }, null)).rejects.toThrow(/not a valid scope/);
  });
});
