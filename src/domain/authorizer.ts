import type { AuthCache, CachedCredential } from './auth-cache';
import type { AuthMetrics } from './auth-metrics';
import type { Clock } from './clock';
import type { PolicyProvider } from './policy-provider';
import type { LegacyKeyStore, TokenStore, UserStore } from './stores';
import { utcDay, type AuthToken } from './token';
import { classifyCredential, digestOf, displayPrefixOf, TOKEN_PREFIX } from './token-format';
import type { UserState } from './user';
import type { UsageRecorder } from './usage-recorder';

/** The scope of administration (Redmine has no permission for it). */
export const ADMIN_SCOPE = 'admin';

/** Longest credential worth looking at; anything longer is refused unread. */
export const MAX_CREDENTIAL_LENGTH = 256;

export type DenyReason =
  | 'malformed'
  | 'unknown'
  | 'expired'
  | 'revoked'
  | 'user_locked'
  | 'legacy_key_refused'
  | 'scope_denied'
  | 'project_denied';

export type CredentialKind = 'token' | 'legacy';

export interface AuthorizationInput {
  credential: string;
  remoteIp: string | null;
  /**
   * Scopes that could allow the requested endpoint (Redmine permissions,
   * account scopes, `admin`), computed by the plugin from Redmine's registry.
   * Empty: the endpoint needs no permission.
   */
  requiredScopes?: string[];
  /** For messages: "issues/create". */
  endpoint?: string;
  /** HTTP method, to tell reads from writes on endpoints no scope covers. */
  method?: string;
  /** The project the request names (0 or absent: none) and its ancestors. */
  projectId?: number;
  projectAncestorIds?: number[];
}

export type AuthorizationResult =
  | {
      decision: 'allow';
      kind: CredentialKind;
      userId: number;
      token: AuthToken | null;
    }
  | {
      decision: 'deny';
      reason: DenyReason;
      message: string;
      kind: CredentialKind | null;
      displayPrefix: string;
      userId: number;
      tokenId: number;
    };

interface Deps {
  tokens: Pick<TokenStore, 'findAuthToken'>;
  legacyKeys: LegacyKeyStore;
  users: UserStore;
  cache: AuthCache;
  policy: PolicyProvider;
  usage: UsageRecorder;
  clock: Clock;
  metrics: AuthMetrics;
}

/**
 * Decides whether a presented API credential authenticates a user. Every
 * failure is a deny with a reason; nothing here falls back to anonymous.
 * Storage errors propagate (the transport answers UNAVAILABLE, the plugin 503).
 */
export class Authorizer {
  constructor(private readonly deps: Deps) {}

  async authorize(input: AuthorizationInput): Promise<AuthorizationResult> {
    const result = await this.decide(input);
    this.deps.metrics.decision(
      result.decision === 'allow' ? 'allow' : result.reason,
      result.kind ?? 'none',
    );
    return result;
  }

  private async decide(input: AuthorizationInput): Promise<AuthorizationResult> {
    const { credential } = input;
    if (credential.length === 0) return malformed('no API credential was given');

    if (credential.length > MAX_CREDENTIAL_LENGTH) return malformed('API credential is too long');

    const shape = classifyCredential(credential);
    if (shape === 'malformed') {
      return malformed(
        credential.startsWith(TOKEN_PREFIX)
          ? 'API token is malformed (wrong length or checksum)'
          : 'API credential is not a valid token or key',
      );
    }

    // Redmine's key column compares case-insensitively; so does this gate.
    if (shape === 'legacy') return this.authorizeLegacyKey(credential.toLowerCase());

    return this.authorizeToken(credential, input);
  }

  private async authorizeToken(credential: string, input: AuthorizationInput): Promise<AuthorizationResult> {
    const prefix = displayPrefixOf(credential);
    const found = await this.lookup(digestOf(credential), async () => {
      const token = await this.deps.tokens.findAuthToken(digestOf(credential));
      return token ? { kind: 'token', token } : undefined;
    });
    if (!found || found.kind !== 'token') {
      return deny('unknown', 'API token is not recognized', 'token', prefix);
    }

    const { token } = found;
    const now = this.deps.clock.now();
    if (token.revokedAt !== null) {
      const on = utcDay(new Date(token.revokedAt));
      return deny('revoked', `API token was revoked on ${on}`, 'token', prefix, token);
    }
    if (token.expiresAt <= now.getTime()) {
      const on = utcDay(new Date(token.expiresAt));
      return deny('expired', `API token expired on ${on}`, 'token', prefix, token);
    }

    const user = await this.userState(token.userId);
    if (user?.status !== 'active') {
      return deny('user_locked', ownerRefused('token', user), 'token', prefix, token);
    }

    if (token.scopes !== null && token.scopes.length === 0) {
      // Only a damaged row has an empty list (creation refuses one); on the
      // wire it would read as "every permission".
      const message = 'this API token carries no readable scopes; create a new token';
      return deny('scope_denied', message, 'token', prefix, token);
    }
    const required = input.requiredScopes ?? [];
    const missing = missingScope(token.scopes, required) ?? accountChangeUnscoped(token, required);
    if (missing) {
      const message = `this API token's scopes do not allow ${input.endpoint || 'this endpoint'} (needs one of: ${missing})`;
      return deny('scope_denied', message, 'token', prefix, token);
    }
    if (required.length === 0 && !isRead(input.method) && !mayWriteUncovered(token)) {
      // Redmine guards these writes (administration, attachments...) with
      // admin or role checks that no permission scope reaches.
      const message = `no scope covers ${input.endpoint || 'this endpoint'}: ` +
        'it needs the admin scope without restrictions, or a token without scopes or restrictions';
      return deny('scope_denied', message, 'token', prefix, token);
    }

    if (!projectAllowed(token, input.projectId ?? 0, input.projectAncestorIds ?? [])) {
      const message = 'this API token is restricted to other projects';
      return deny('project_denied', message, 'token', prefix, token);
    }

    this.deps.usage.record(token.id, now, input.remoteIp);
    return { decision: 'allow', kind: 'token', userId: token.userId, token };
  }

  private async authorizeLegacyKey(credential: string): Promise<AuthorizationResult> {
    if (this.deps.policy.current().legacyKeyPolicy === 'refused') {
      return deny(
        'legacy_key_refused',
        'legacy API keys are refused on this server: use a personal access token',
        'legacy',
        '',
      );
    }

    const found = await this.lookup(digestOf(credential), async () => {
      const userId = await this.deps.legacyKeys.findUserIdByKey(credential);
      return userId === null ? undefined : { kind: 'legacy', userId };
    });
    if (!found || found.kind !== 'legacy') {
      return deny('unknown', 'API key is not recognized', 'legacy', '');
    }

    const user = await this.userState(found.userId);
    if (user?.status !== 'active') {
      return { ...deny('user_locked', ownerRefused('key', user), 'legacy', ''), userId: found.userId };
    }

    return { decision: 'allow', kind: 'legacy', userId: found.userId, token: null };
  }

  /** Cache first, then the database; misses are remembered apart. */
  private async lookup(
    digest: string,
    load: () => Promise<CachedCredential | undefined>,
  ): Promise<CachedCredential | undefined> {
    const { cache, metrics } = this.deps;
    const cached = cache.credential(digest);
    metrics.cacheLookup('credential', cached !== undefined);
    if (cached) return cached;

    if (cache.isKnownMiss(digest)) {
      metrics.cacheLookup('miss', true);
      return undefined;
    }

    const generation = cache.generation;
    const loaded = await load();
    if (loaded) cache.rememberCredential(digest, loaded, generation);
    else cache.rememberMiss(digest);
    return loaded;
  }

  private async userState(userId: number): Promise<UserState | null> {
    const cached = this.deps.cache.user(userId);
    this.deps.metrics.cacheLookup('user', cached !== undefined);
    if (cached) return cached;

    const generation = this.deps.cache.generation;
    const user = await this.deps.users.findState(userId);
    if (user) this.deps.cache.rememberUser(user, generation);
    return user;
  }
}

/**
 * The gate's half of scope enforcement (Redmine narrows permissions inside
 * the request too): returns the required scopes as text when the token holds
 * none of them, else null. A token without scopes holds all of its owner's.
 */
export function missingScope(scopes: string[] | null, required: string[]): string | null {
  if (scopes === null || required.length === 0) return null;
  return required.some((scope) => scopes.includes(scope)) ? null : required.join(', ');
}

/** The scope that changes one's own account (mail, password...). */
export const EDIT_OWN_ACCOUNT_SCOPE = 'edit_own_account';

/**
 * "All my permissions" on a token restricted to projects or trackers stops
 * short of changing the owner's account: a new mail address reaches every
 * project (notifications, password reset). Such a token gets that scope only
 * by naming it. Returns the missing scope as text, or null.
 */
function accountChangeUnscoped(token: AuthToken, required: string[]): string | null {
  if (token.scopes !== null || !isRestricted(token) || required.length === 0) return null;
  return required.every((scope) => scope === EDIT_OWN_ACCOUNT_SCOPE) ? required.join(', ') : null;
}

function isRestricted(token: AuthToken): boolean {
  return token.projects.length > 0 || token.trackerIds.length > 0;
}

/** Why the owner of a credential cannot use it: deleted, locked or not yet activated. */
function ownerRefused(what: 'token' | 'key', user: UserState | null): string {
  if (!user) return `the owner of this API ${what} no longer exists`;
  if (user.status === 'registered') return `the owner of this API ${what} is not activated yet`;
  return `the owner of this API ${what} is locked`;
}

/**
 * Writes no permission covers are the administrator's (users, groups,
 * archiving...) or guarded by role checks: open to a token carrying all of
 * its owner's rights, or the admin scope, and no restriction.
 */
function mayWriteUncovered(token: AuthToken): boolean {
  if (isRestricted(token)) return false;
  return token.scopes === null || token.scopes.includes(ADMIN_SCOPE);
}

function isRead(method: string | undefined): boolean {
  return method === undefined || method === '' || method === 'GET' || method === 'HEAD';
}

/**
 * The gate's half of the project restriction (Redmine narrows listings to the
 * allowed projects itself): a request naming a project passes when the
 * token has no project restriction, names that project, or names one of its
 * ancestors with subprojects included.
 */
export function projectAllowed(token: AuthToken, projectId: number, ancestorIds: number[]): boolean {
  if (token.projects.length === 0 || projectId === 0) return true;
  return token.projects.some(
    (r) => r.projectId === projectId || (r.includeSubprojects && ancestorIds.includes(r.projectId)),
  );
}

function malformed(message: string): AuthorizationResult {
  return deny('malformed', message, null, '');
}

function deny(
  reason: DenyReason,
  message: string,
  kind: CredentialKind | null,
  displayPrefix: string,
  token?: AuthToken,
): AuthorizationResult {
  return {
    decision: 'deny',
    reason,
    message,
    kind,
    displayPrefix,
    userId: token?.userId ?? 0,
    tokenId: token?.id ?? 0,
  };
}
