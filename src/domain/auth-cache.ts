import { LRUCache } from 'lru-cache';
import type { AuthToken } from './token';
import type { UserState } from './user';

/** A credential known to exist: a personal token or a legacy key. */
export type CachedCredential =
  | { kind: 'token'; token: AuthToken }
  | { kind: 'legacy'; userId: number };

export interface AuthCacheOptions {
  /** Known credentials kept; 0 disables every cache. */
  maxEntries: number;
  ttlMs: number;
  /** Well-formed credentials that matched nothing. Kept apart, so that a flood
   * of random tokens can never push real ones out. */
  maxMisses: number;
  missTtlMs: number;
  /** User status is re-read this often even for cached credentials. */
  userTtlMs: number;
}

/**
 * The hot-path caches, keyed by SHA-256 digest (never by plaintext). Only a
 * database hit can enter `credentials`, so its size is bounded by real rows.
 */
export class AuthCache {
  private readonly credentials?: LRUCache<string, CachedCredential>;
  private readonly misses?: LRUCache<string, true>;
  private readonly users?: LRUCache<number, UserState>;
  private readonly legacyTtlMs: number;
  /** Bumped by every eviction; see `generation`. */
  private evictions = 0;

  constructor(options: AuthCacheOptions) {
    // Legacy keys are reset in Redmine without the sidecar knowing for sure
    // (invalidation is best effort), so they live only as long as user state.
    this.legacyTtlMs = Math.min(options.ttlMs, options.userTtlMs || options.ttlMs);
    if (options.maxEntries <= 0 || options.ttlMs <= 0) return;

    this.credentials = new LRUCache({ max: options.maxEntries, ttl: options.ttlMs });
    this.misses = new LRUCache({ max: Math.max(1, options.maxMisses), ttl: options.missTtlMs });
    if (options.userTtlMs > 0) {
      this.users = new LRUCache({ max: options.maxEntries, ttl: options.userTtlMs });
    }
  }

  /**
   * A counter that changes whenever something is evicted. A lookup reads it
   * before going to the database and caches its result only if it has not
   * changed, so a row read before a revocation cannot be cached after it.
   */
  get generation(): number {
    return this.evictions;
  }

  credential(digest: string): CachedCredential | undefined {
    return this.credentials?.get(digest);
  }

  rememberCredential(digest: string, value: CachedCredential, generation: number): void {
    if (generation !== this.evictions) return;

    this.misses?.delete(digest);
    const ttl = value.kind === 'legacy' ? this.legacyTtlMs : undefined;
    this.credentials?.set(digest, value, ttl ? { ttl } : undefined);
  }

  isKnownMiss(digest: string): boolean {
    return this.misses?.get(digest) === true;
  }

  rememberMiss(digest: string): void {
    this.misses?.set(digest, true);
  }

  user(userId: number): UserState | undefined {
    return this.users?.get(userId);
  }

  rememberUser(user: UserState, generation: number): void {
    if (generation === this.evictions) this.users?.set(user.id, user);
  }

  forgetDigest(digest: string): void {
    this.evictions += 1;
    this.credentials?.delete(digest);
    this.misses?.delete(digest);
  }

  /** Drops the user's state and every credential of theirs; returns how many. */
  forgetUser(userId: number): number {
    this.evictions += 1;
    this.users?.delete(userId);
    if (!this.credentials) return 0;

    const doomed: string[] = [];
    this.credentials.forEach((value, digest) => {
      const owner = value.kind === 'token' ? value.token.userId : value.userId;
      if (owner === userId) doomed.push(digest);
    });
    for (const digest of doomed) this.credentials.delete(digest);
    return doomed.length;
  }

  get size(): { credentials: number; misses: number; users: number } {
    return {
      credentials: this.credentials?.size ?? 0,
      misses: this.misses?.size ?? 0,
      users: this.users?.size ?? 0,
    };
  }
}
