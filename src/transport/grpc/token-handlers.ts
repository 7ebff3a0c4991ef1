import type { Clock } from '../../domain/clock';
import type { PolicyProvider } from '../../domain/policy-provider';
import type { Actor, TokenService } from '../../domain/token-service';
import type {
  Actor as ActorMessage,
  TokenServiceServer,
} from '../../generated/redmine/apiguard/v1/api_guard';
import { policyToMessage, tokenStatusFromMessage, tokenToMessage } from './mappers';
import { unary, type UnaryDeps } from './unary';

interface Deps extends UnaryDeps {
  tokens: TokenService;
  policy: PolicyProvider;
  clock: Clock;
}

function actorOf(message: ActorMessage | undefined): Actor | null {
  return message && message.userId > 0 ? { userId: message.userId } : null;
}

export function tokenHandlers(deps: Deps): TokenServiceServer {
  const { tokens, clock } = deps;
  return {
    createToken: unary('CreateToken', async (req) => {
      const created = await tokens.create(
        {
          userId: req.userId,
          name: req.name,
          expiresOn: req.expiresAt,
          scopes: req.scopes,
          projects: req.projects,
          trackerIds: req.trackerIds,
        },
        actorOf(req.actor),
      );
      return { token: tokenToMessage(created.token, clock.now()), plaintext: created.plaintext };
    }, deps),

    listUserTokens: unary('ListUserTokens', async (req) => {
      const list = await tokens.listForUser(req.userId, req.includeRevoked);
      const now = clock.now();
      return { tokens: list.map((t) => tokenToMessage(t, now)) };
    }, deps),

    getToken: unary('GetToken', async (req) => {
      const token = await tokens.get(req.id, req.ownerId || null);
      return tokenToMessage(token, clock.now());
    }, deps),

    revokeToken: unary('RevokeToken', async (req) => {
      const token = await tokens.revoke(req.id, req.ownerId || null, actorOf(req.actor));
      return tokenToMessage(token, clock.now());
    }, deps),

    listTokens: unary('ListTokens', async (req) => {
      const result = await tokens.search(
        {
          userId: req.userId || undefined,
          status: tokenStatusFromMessage(req.status),
          expiringWithinDays: req.expiringWithinDays || undefined,
        },
        { page: req.page, perPage: req.perPage },
      );
      const now = clock.now();
      return {
        tokens: result.tokens.map((t) => tokenToMessage(t, now)),
        totalCount: result.totalCount,
        page: result.page,
        perPage: result.perPage,
      };
    }, deps),

    getPolicy: unary('GetPolicy', async () => policyToMessage(deps.policy.current()), deps),
  };
}
