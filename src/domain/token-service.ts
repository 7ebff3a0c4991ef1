import type { AuthCache } from './auth-cache';
import type { Clock } from './clock';
import { FailedPreconditionError } from './errors/failed-precondition-error';
import { InvalidArgumentError } from './errors/invalid-argument-error';
import { NotFoundError } from './errors/not-found-error';
import { resolveExpiry } from './lifetime';
import type { PolicyProvider } from './policy-provider';
import type { TokenStore, UserStore } from './stores';
import type { Page, ProjectRestriction, TokenFilter, TokenPage, TokenRecord, TokenRestrictions } from './token';
import { digestOf, displayPrefixOf, generateToken } from './token-format';

export const MAX_NAME_LENGTH = 100;
export const MAX_SCOPES = 500;
export const MAX_RESTRICTIONS = 200;
export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 25;

export interface CreateTokenInput {
  userId: number;
  name: string;
  expiresOn?: Date;
  scopes?: string[];
  projects?: ProjectRestriction[];
  trackerIds?: number[];
}

export interface CreatedToken {
  token: TokenRecord;
  /** Returned to the caller once and never kept. */
  plaintext: string;
}

export interface Actor {
  userId: number;
}

/** An audit hook for token management; the audit issue writes these to a table. */
export interface TokenEvents {
  created(token: TokenRecord, actor: Actor | null): void;
  revoked(token: TokenRecord, actor: Actor | null): void;
}

interface Deps {
  tokens: TokenStore;
  users: UserStore;
  cache: AuthCache;
  policy: PolicyProvider;
  clock: Clock;
  events: TokenEvents;
}

/** Self-service and administration of personal access tokens. */
export class TokenService {
  constructor(private readonly deps: Deps) {}

  async create(input: CreateTokenInput, actor: Actor | null): Promise<CreatedToken> {
    const restrictions = normalizeRestrictions(input.projects ?? [], input.trackerIds ?? []);
    const name = normalizeName(input.name);
    const user = await this.deps.users.findState(requireId(input.userId, 'user id'));
    if (!user) throw new NotFoundError(`user ${input.userId} does not exist`);

    if (user.status !== 'active') {
      throw new FailedPreconditionError(`user ${user.login} is not active`);
    }

    const now = this.deps.clock.now();
    const expiresOn = resolveExpiry(input.expiresOn, now, this.deps.policy.current());
    const scopes = normalizeScopes(input.scopes);
    const plaintext = generateToken();
    const token = await this.deps.tokens.insert({
      userId: user.id,
      name,
      digest: digestOf(plaintext),
      displayPrefix: displayPrefixOf(plaintext),
      scopes,
      ...restrictions,
      createdOn: now,
      expiresOn,
    });
    this.deps.events.created(token, actor);
    return { token, plaintext };
  }

  listForUser(userId: number, includeRevoked: boolean): Promise<TokenRecord[]> {
    return this.deps.tokens.listByUser(requireId(userId, 'user id'), includeRevoked);
  }

  /** With an owner, a token of someone else is reported as not found. */
  async get(id: number, ownerId: number | null): Promise<TokenRecord> {
    const token = await this.deps.tokens.findById(requireId(id, 'token id'));
    if (!token || (ownerId !== null && token.userId !== ownerId)) {
      throw new NotFoundError(`token ${id} not found`);
    }
    return token;
  }

  async revoke(id: number, ownerId: number | null, actor: Actor | null): Promise<TokenRecord> {
    const token = await this.get(id, ownerId);
    if (token.revokedOn) return token;

    const revoked = await this.deps.tokens.revoke(token.id, actor?.userId || null, this.deps.clock.now());
    if (!revoked) throw new NotFoundError(`token ${id} not found`);

    // After the write; lookups that read the row before it cannot cache it
    // (see AuthCache.generation).
    this.deps.cache.forgetDigest(token.digest);
    this.deps.events.revoked(revoked, actor);
    return revoked;
  }

  async search(filter: TokenFilter, page: Partial<Page>): Promise<TokenPage & Page> {
    const perPage = Math.min(page.perPage || DEFAULT_PER_PAGE, MAX_PER_PAGE);
    const pageNumber = Math.max(page.page || 1, 1);
    const found = await this.deps.tokens.search(filter, { page: pageNumber, perPage }, this.deps.clock.now());
    return { ...found, page: pageNumber, perPage };
  }
}

function normalizeName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0) throw new InvalidArgumentError('name cannot be blank');

  if (name.length > MAX_NAME_LENGTH) {
    throw new InvalidArgumentError(`name is too long (at most ${MAX_NAME_LENGTH} characters)`);
  }
  // Control, format (bidi overrides, zero-width), separator, private-use and
  // unassigned characters make names that display as something else.
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/u.test(name)) {
    throw new InvalidArgumentError('name cannot contain control or invisible characters');
  }
  if (!/[\p{L}\p{N}\p{P}\p{S}]/u.test(name)) {
    throw new InvalidArgumentError('name must contain a visible character');
  }
  return name;
}

/**
 * Scope names have Redmine's permission-name shape; which names exist is the
 * plugin's to check (it reads Redmine's registry). None: all permissions.
 */
function normalizeScopes(raw: string[] | undefined): string[] | null {
  if (!raw || raw.length === 0) return null;
  if (raw.length > MAX_SCOPES) throw new InvalidArgumentError(`at most ${MAX_SCOPES} scopes`);
  const bad = raw.find((scope) => !/^[a-z][a-z0-9_]{0,63}$/.test(scope));
  if (bad !== undefined) throw new InvalidArgumentError(`scope ${JSON.stringify(bad)} is not a valid scope name`);
  return [...new Set(raw)].sort();
}

/** Which projects and trackers exist is the plugin's to check; here only shape. */
function normalizeRestrictions(projects: ProjectRestriction[], trackerIds: number[]): TokenRestrictions {
  if (projects.length > MAX_RESTRICTIONS || trackerIds.length > MAX_RESTRICTIONS) {
    throw new InvalidArgumentError(`at most ${MAX_RESTRICTIONS} projects and ${MAX_RESTRICTIONS} trackers`);
  }
  const byId = new Map<number, ProjectRestriction>();
  for (const p of projects) {
    const id = requireId(p.projectId, 'project id');
    byId.set(id, { projectId: id, includeSubprojects: p.includeSubprojects || byId.get(id)?.includeSubprojects === true });
  }
  const trackers = [...new Set(trackerIds.map((id) => requireId(id, 'tracker id')))].sort((a, b) => a - b);
  return { projects: [...byId.values()].sort((a, b) => a.projectId - b.projectId), trackerIds: trackers };
}

function requireId(id: number, what: string): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new InvalidArgumentError(`${what} is missing`);
  return id;
}
