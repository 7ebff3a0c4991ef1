import type { AuthCache } from '../../domain/auth-cache';
import type { Authorizer } from '../../domain/authorizer';
import type { PolicyProvider } from '../../domain/policy-provider';
import type { AuthorizationServiceServer } from '../../generated/redmine/apiguard/v1/api_guard';
import { authorizationToMessage, policyToMessage } from './mappers';
import { unary, type UnaryDeps } from './unary';

interface Deps extends UnaryDeps {
  authorizer: Authorizer;
  cache: AuthCache;
  policy: PolicyProvider;
}

export function authorizationHandlers(deps: Deps): AuthorizationServiceServer {
  return {
    authorize: unary('Authorize', async (req) => {
      const context = req.context;
      const result = await deps.authorizer.authorize({
        credential: req.credential,
        remoteIp: context?.remoteIp || null,
        requiredScopes: context?.requiredPermissions ?? [],
        endpoint: context?.controller ? `${context.controller}/${context.action}` : '',
        method: context?.method ?? '',
        projectId: context?.projectId ?? 0,
        projectAncestorIds: context?.projectAncestorIds ?? [],
      });
      if (result.decision === 'deny') {
        // Garbage and unknown credentials (cheap to make: the checksum is
        // public) are logged at debug only, so a flood cannot flood the log;
        // the metrics count them all.
        const level = result.reason === 'malformed' || result.reason === 'unknown' ? 'debug' : 'info';
        deps.logger.log(level, 'api request denied', {
          rpc: 'Authorize',
          request_id: req.context?.requestId,
          decision: 'deny',
          reason: result.reason,
          token_prefix: result.displayPrefix,
          user_id: result.userId || undefined,
          remote_ip: req.context?.remoteIp,
        });
      }
      return authorizationToMessage(result);
    }, deps),

    invalidateUser: unary('InvalidateUser', async (req) => {
      return { evicted: deps.cache.forgetUser(req.userId) };
    }, deps),

    reloadPolicy: unary('ReloadPolicy', async () => policyToMessage(await deps.policy.refresh()), deps),
  };
}
