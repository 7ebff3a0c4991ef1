import { status } from '@grpc/grpc-js';
import { StorageUnavailableError } from '../../../src/domain/errors/storage-unavailable-error';
import {
  CredentialKind,
  Decision,
  DenyReason,
  TokenStatus,
} from '../../../src/generated/redmine/apiguard/v1/api_guard';
import { createLogger } from '../../../src/observability/logger';
import { SidecarMetrics } from '../../../src/observability/metrics';
import { authorizationHandlers } from '../../../src/transport/grpc/authorization-handlers';
import { GrpcServer } from '../../../src/transport/grpc/server';
import { tokenHandlers } from '../../../src/transport/grpc/token-handlers';
import { createFakeDomain } from '../../support/domain-graph';
import { SidecarApi } from '../../support/grpc-client';

describe('GrpcServer', () => {
  let server: GrpcServer;
  let api: SidecarApi;
  let domain: ReturnType<typeof createFakeDomain>;

  beforeAll(async () => {
    domain = createFakeDomain();
    domain.users.add(7);
    domain.users.add(8);
    const deps = { logger: createLogger('error'), metrics: new SidecarMetrics() };
    server = new GrpcServer({
      tokens: tokenHandlers({ ...deps, tokens: domain.service, policy: domain.policy, clock: domain.clock }),
      authorization: authorizationHandlers({
        ...deps, authorizer: domain.authorizer, cache: domain.cache, policy: domain.policy,
      }),
    });
    await server.listen({ socketPath: null, socketMode: 0o660, tcp: { host: '127.0.0.1', port: 0 } });
    api = new SidecarApi(`127.0.0.1:${server.tcpPort}`);
  });

  afterAll(async () => {
    api.close();
    await server.shutdown(1000);
  });

  const create = (userId: number, name: string, expiresAt?: Date) => api.createToken({ userId, name, expiresAt });

  test('CreateToken then Authorize allows the token as its owner', async () => {
    const created = await create(7, 'grpc');

    const answer = await api.authorize({
      credential: created.plaintext,
      context: { remoteIp: '127.0.0.1', requestId: 'r1' },
    });

    expect(answer).toMatchObject({
      decision: Decision.DECISION_ALLOW,
      userId: 7,
      tokenId: created.token?.id,
      credentialKind: CredentialKind.CREDENTIAL_KIND_PERSONAL_TOKEN,
    });
    expect(created.token?.status).toBe(TokenStatus.TOKEN_STATUS_ACTIVE);
  });

  test('Authorize answers a deny with a reason, not an error', async () => {
    const answer = await api.authorize({
      credential: 'rmp_nope',
    });

    expect(answer).toMatchObject({ decision: Decision.DECISION_DENY, denyReason: DenyReason.DENY_REASON_MALFORMED });
  });

  test.each([
    ['a blank name', () => create(7, ' '), status.INVALID_ARGUMENT],
    ['an unknown user', () => create(99, 'x'), status.NOT_FOUND],
    ['an expiry beyond the maximum', () => create(7, 'far', new Date('2040-01-01')), status.INVALID_ARGUMENT],
  ])('CreateToken with %s fails with the right status', async (_label, act, code) => {
    await expect(act()).rejects.toMatchObject({ code });
  });

  test('CreateToken twice with one name fails with ALREADY_EXISTS', async () => {
    await create(8, 'dup');

    await expect(create(8, 'dup')).rejects.toMatchObject({ code: status.ALREADY_EXISTS });
  });

  test('RevokeToken of another user\'s token is NOT_FOUND; by an admin it works', async () => {
    const created = await create(7, 'to-revoke');
    const id = created.token?.id;

    await expect(api.revokeToken({ id, ownerId: 8 })).rejects.toMatchObject({ code: status.NOT_FOUND });
    const revoked = await api.revokeToken({ id, ownerId: 0 });

    expect(revoked.status).toBe(TokenStatus.TOKEN_STATUS_REVOKED);
  });

  test('ListTokens filters by status and paginates', async () => {
    const page = await api.listTokens({
      status: TokenStatus.TOKEN_STATUS_REVOKED,
      perPage: 1,
    });

    expect(page.totalCount).toBeGreaterThanOrEqual(1);
    expect(page.tokens).toHaveLength(1);
    expect(page.tokens.every((t) => t.status === TokenStatus.TOKEN_STATUS_REVOKED)).toBe(true);
  });

  test('storage failures become UNAVAILABLE', async () => {
    domain.tokens.failWith = new StorageUnavailableError('database unavailable (ECONNREFUSED)');
    try {
      await expect(create(7, 'while-down')).rejects.toMatchObject({ code: status.UNAVAILABLE });
    } finally {
      domain.tokens.failWith = null;
    }
  });
});
