import type { AuthToken, NewToken, Page, TokenFilter, TokenPage, TokenRecord, TokenUse } from './token';
import type { UserState } from './user';

/**
 * Storage interfaces the domain depends on. MySQL implementations live in
 * src/storage; fakes for unit tests live in test/support.
 */
export interface TokenStore {
  /**
   * Inserts the token unless the owner already has an active token with the
   * same name (throws AlreadyExistsError). Active is judged at `newToken.createdOn`.
   */
  insert(newToken: NewToken): Promise<TokenRecord>;
  /** The authorization path's lookup: one indexed query, a compact row. */
  findAuthToken(digest: string): Promise<AuthToken | null>;
  findById(id: number): Promise<TokenRecord | null>;
  listByUser(userId: number, includeRevoked: boolean): Promise<TokenRecord[]>;
  search(filter: TokenFilter, page: Page, now: Date): Promise<TokenPage>;
  /** Marks the token revoked unless it already is; returns the stored row. */
  revoke(id: number, byUserId: number | null, at: Date): Promise<TokenRecord | null>;
  /** Writes last-used time and IP of several tokens at once. */
  recordUses(uses: TokenUse[]): Promise<void>;
}

export interface UserStore {
  findState(userId: number): Promise<UserState | null>;
}

/** Redmine's own API keys (table `tokens`, action `api`). */
export interface LegacyKeyStore {
  findUserIdByKey(key: string): Promise<number | null>;
}

export interface PolicyStore {
  /** The raw settings hash of the plugin; empty when never saved. */
  loadSettings(): Promise<Record<string, unknown>>;
}
