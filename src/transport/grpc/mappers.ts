import type { AuthorizationResult } from '../../domain/authorizer';
import type { Policy } from '../../domain/policy';
import { statusOf, type TokenRecord, type TokenStatus as TokenStatusName } from '../../domain/token';
import {
  AuthorizeResponse,
  CredentialKind,
  Decision,
  DenyReason,
  LegacyKeyPolicy,
  Policy as PolicyMessage,
  Token,
  TokenStatus,
} from '../../generated/redmine/apiguard/v1/api_guard';

const TOKEN_STATUS = {
  active: TokenStatus.TOKEN_STATUS_ACTIVE,
  expired: TokenStatus.TOKEN_STATUS_EXPIRED,
  revoked: TokenStatus.TOKEN_STATUS_REVOKED,
} as const;

const DENY_REASON = {
  malformed: DenyReason.DENY_REASON_MALFORMED,
  unknown: DenyReason.DENY_REASON_UNKNOWN,
  expired: DenyReason.DENY_REASON_EXPIRED,
  revoked: DenyReason.DENY_REASON_REVOKED,
  user_locked: DenyReason.DENY_REASON_USER_LOCKED,
  legacy_key_refused: DenyReason.DENY_REASON_LEGACY_KEY_REFUSED,
  scope_denied: DenyReason.DENY_REASON_SCOPE_DENIED,
  project_denied: DenyReason.DENY_REASON_PROJECT_DENIED,
} as const;

const KIND = {
  token: CredentialKind.CREDENTIAL_KIND_PERSONAL_TOKEN,
  legacy: CredentialKind.CREDENTIAL_KIND_LEGACY_KEY,
} as const;

export function tokenStatusFromMessage(value: TokenStatus): TokenStatusName | undefined {
  if (value === TokenStatus.TOKEN_STATUS_ACTIVE) return 'active';
  if (value === TokenStatus.TOKEN_STATUS_EXPIRED) return 'expired';
  if (value === TokenStatus.TOKEN_STATUS_REVOKED) return 'revoked';
  return undefined;
}

export function tokenToMessage(token: TokenRecord, now: Date): Token {
  return Token.fromPartial({
    id: token.id,
    userId: token.userId,
    name: token.name,
    displayPrefix: token.displayPrefix,
    createdAt: token.createdOn,
    expiresAt: token.expiresOn,
    lastUsedAt: token.lastUsedOn ?? undefined,
    lastUsedIp: token.lastUsedIp ?? '',
    revokedAt: token.revokedOn ?? undefined,
    revokedById: token.revokedById ?? 0,
    status: TOKEN_STATUS[statusOf(token, now)],
    scopes: token.scopes ?? [],
    projects: token.projects,
    trackerIds: token.trackerIds,
  });
}

export function policyToMessage(policy: Policy): PolicyMessage {
  return PolicyMessage.fromPartial({
    maxLifetimeDays: policy.maxLifetimeDays,
    defaultLifetimeDays: policy.defaultLifetimeDays,
    legacyKeyPolicy:
      policy.legacyKeyPolicy === 'refused'
        ? LegacyKeyPolicy.LEGACY_KEY_POLICY_REFUSED
        : LegacyKeyPolicy.LEGACY_KEY_POLICY_ALLOWED,
  });
}

export function authorizationToMessage(result: AuthorizationResult): AuthorizeResponse {
  if (result.decision === 'allow') {
    return AuthorizeResponse.fromPartial({
      decision: Decision.DECISION_ALLOW,
      userId: result.userId,
      tokenId: result.token?.id ?? 0,
      credentialKind: KIND[result.kind],
      displayPrefix: result.token?.displayPrefix ?? '',
      expiresAt: result.token ? new Date(result.token.expiresAt) : undefined,
      scopes: result.token?.scopes ?? [],
      projects: result.token?.projects ?? [],
      trackerIds: result.token?.trackerIds ?? [],
    });
  }
  return AuthorizeResponse.fromPartial({
    decision: Decision.DECISION_DENY,
    denyReason: DENY_REASON[result.reason],
    message: result.message,
    credentialKind: result.kind ? KIND[result.kind] : CredentialKind.CREDENTIAL_KIND_UNSPECIFIED,
    displayPrefix: result.displayPrefix,
    userId: result.userId,
    tokenId: result.tokenId,
  });
}
