import { AlreadyExistsError } from '../../src/domain/errors/already-exists-error';
import type { LegacyKeyStore, PolicyStore, TokenStore, UserStore } from '../../src/domain/stores';
import {
  statusOf,
  type AuthToken,
  type TokenUse,
  type NewToken,
  type Page,
  type TokenFilter,
  type TokenPage,
  type TokenRecord,
} from '../../src/domain/token';
import type { UserState } from '../../src/domain/user';
import type { Clock } from '../../src/domain/clock';

/** In-memory TokenStore with the same rules as the MySQL one. */
export class FakeTokenStore implements TokenStore {
  readonly rows: TokenRecord[] = [];
  readonly uses: Array<{ id: number; at: Date; ip: string | null }> = [];
  lookups = 0;
  failWith: Error | null = null;

  async insert(newToken: NewToken): Promise<TokenRecord> {
    this.fail();
    const clash = this.rows.some(
      (t) => t.userId === newToken.userId && t.name === newToken.name &&
        statusOf(t, newToken.createdOn) === 'active',
    );
    if (clash) throw new AlreadyExistsError(`an active token named "${newToken.name}" already exists`);
    const row: TokenRecord = {
      ...newToken,
      id: this.rows.length + 1,
      lastUsedOn: null,
      lastUsedIp: null,
      revokedOn: null,
      revokedById: null,
    };
    this.rows.push(row);
    return { ...row };
  }

  async findAuthToken(digest: string): Promise<AuthToken | null> {
    this.fail();
    this.lookups += 1;
    const row = this.rows.find((t) => t.digest === digest);
    return row
      ? {
          id: row.id,
          userId: row.userId,
          displayPrefix: row.displayPrefix,
          expiresAt: row.expiresOn.getTime(),
          revokedAt: row.revokedOn ? row.revokedOn.getTime() : null,
          scopes: row.scopes,
          projects: row.projects,
          trackerIds: row.trackerIds,
        }
      : null;
  }

  async findById(id: number): Promise<TokenRecord | null> {
    this.fail();
    const row = this.rows.find((t) => t.id === id);
    return row ? { ...row } : null;
  }

  async listByUser(userId: number, includeRevoked: boolean): Promise<TokenRecord[]> {
    return this.rows.filter((t) => t.userId === userId && (includeRevoked || !t.revokedOn));
  }

  async search(filter: TokenFilter, page: Page, now: Date): Promise<TokenPage> {
    const matching = this.rows.filter(
      (t) => (!filter.userId || t.userId === filter.userId) &&
        (!filter.status || statusOf(t, now) === filter.status),
    );
    const start = (page.page - 1) * page.perPage;
    return { tokens: matching.slice(start, start + page.perPage), totalCount: matching.length };
  }

  async revoke(id: number, byUserId: number | null, at: Date): Promise<TokenRecord | null> {
    const row = this.rows.find((t) => t.id === id);
    if (!row) return null;
    if (!row.revokedOn) Object.assign(row, { revokedOn: at, revokedById: byUserId });
    return { ...row };
  }

  async recordUses(uses: TokenUse[]): Promise<void> {
    this.uses.push(...uses);
  }

  private fail(): void {
    if (this.failWith) throw this.failWith;
  }
}

export class FakeUserStore implements UserStore {
  readonly users = new Map<number, UserState>();
  lookups = 0;

  add(id: number, status: UserState['status'] = 'active'): UserState {
    const user = { id, login: `user${id}`, status };
    this.users.set(id, user);
    return user;
  }

  async findState(userId: number): Promise<UserState | null> {
    this.lookups += 1;
    const user = this.users.get(userId);
    return user ? { ...user } : null;
  }
}

export class FakeLegacyKeyStore implements LegacyKeyStore {
  readonly keys = new Map<string, number>();
  lookups = 0;

  async findUserIdByKey(key: string): Promise<number | null> {
    this.lookups += 1;
    return this.keys.get(key) ?? null;
  }
}

export class FakePolicyStore implements PolicyStore {
  settings: Record<string, unknown> = {};

  async loadSettings(): Promise<Record<string, unknown>> {
    return this.settings;
  }
}

/** A clock that only moves when told to. */
export class FixedClock implements Clock {
  constructor(private current = new Date('2026-06-15T12:00:00Z')) {}

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
