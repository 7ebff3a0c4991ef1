import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { AlreadyExistsError } from '../domain/errors/already-exists-error';
import { DAY_MS } from '../domain/lifetime';
import { NotFoundError } from '../domain/errors/not-found-error';
import type { TokenStore } from '../domain/stores';
import type {
  AuthToken,
  NewToken,
  Page,
  TokenFilter,
  TokenPage,
  TokenRecord,
  TokenRestrictions,
  TokenUse,
} from '../domain/token';
import { ApiGuardTokenEntity, type ApiGuardTokenRow } from './entities/api-guard-token-row';
import { guarded } from './storage-errors';
import { authTokenFromRow, tokenFromRow, type AuthTokenRow } from './token-mapper';


export class MysqlTokenStore implements TokenStore {
  constructor(private readonly db: DataSource) {}

  insert(newToken: NewToken): Promise<TokenRecord> {
    return guarded(() => this.db.transaction((manager) => this.insertLocked(manager, newToken)));
  }

  /**
   * Locks the owner's `users` row so that two concurrent creations for the
   * same user are serialized, then checks the name among active tokens.
   */
  private async insertLocked(manager: EntityManager, newToken: NewToken): Promise<TokenRecord> {
    const owner: unknown[] = await manager.query('SELECT id FROM users WHERE id = ? FOR UPDATE', [
      newToken.userId,
    ]);
    if (owner.length === 0) throw new NotFoundError(`user ${newToken.userId} does not exist`);

    const clash = await manager
      .getRepository(ApiGuardTokenEntity)
      .createQueryBuilder('t')
      .where('t.user_id = :userId AND t.name = :name', newToken)
      .andWhere('t.revoked_on IS NULL AND t.expires_on > :now', { now: newToken.createdOn })
      .getCount();
    if (clash > 0) {
      throw new AlreadyExistsError(`an active token named "${newToken.name}" already exists`);
    }

    const row = await manager.getRepository(ApiGuardTokenEntity).save({
      user_id: newToken.userId,
      name: newToken.name,
      token_digest: newToken.digest,
      display_prefix: newToken.displayPrefix,
      scopes: newToken.scopes ? JSON.stringify(newToken.scopes) : null,
      created_on: newToken.createdOn,
      updated_on: newToken.createdOn,
      expires_on: newToken.expiresOn,
      last_used_on: null,
      last_used_ip: null,
      revoked_on: null,
      revoked_by_id: null,
    });
    const token = tokenFromRow(row as ApiGuardTokenRow, newToken);
    for (const p of newToken.projects) {
      await manager.query(
        'INSERT INTO api_guard_token_projects (token_id, project_id, include_subprojects) VALUES (?, ?, ?)',
        [token.id, p.projectId, p.includeSubprojects],
      );
    }
    for (const trackerId of newToken.trackerIds) {
      await manager.query('INSERT INTO api_guard_token_trackers (token_id, tracker_id) VALUES (?, ?)', [
        token.id,
        trackerId,
      ]);
    }
    return token;
  }

  /** Attaches the restrictions of each token (two queries for the whole list). */
  private async withRestrictions(rows: ApiGuardTokenRow[]): Promise<TokenRecord[]> {
    if (rows.length === 0) return [];
    const restrictions = await this.restrictionsOf(rows.map((r) => r.id));
    return rows.map((row) => tokenFromRow(row, restrictions(row.id)));
  }

  private async restrictionsOf(ids: Array<string | number>): Promise<(id: string | number) => TokenRestrictions> {
    const [projects, trackers]: [
      Array<{ token_id: string; project_id: number; include_subprojects: number }>,
      Array<{ token_id: string; tracker_id: number }>,
    ] = await Promise.all([
      this.db.query(
        'SELECT token_id, project_id, include_subprojects FROM api_guard_token_projects WHERE token_id IN (?) ORDER BY project_id',
        [ids],
      ),
      this.db.query('SELECT token_id, tracker_id FROM api_guard_token_trackers WHERE token_id IN (?) ORDER BY tracker_id', [ids]),
    ]);
    return (id) => ({
      projects: projects.filter((p) => String(p.token_id) === String(id))
        .map((p) => ({ projectId: p.project_id, includeSubprojects: Boolean(p.include_subprojects) })),
      trackerIds: trackers.filter((t) => String(t.token_id) === String(id)).map((t) => t.tracker_id),
    });
  }

  /**
   * The hot path's lookup, as plain SQL: the query builder's metadata work
   * costs more than the indexed query itself. A restricted token's lists
   * take a second round (not GROUP_CONCAT: MySQL cuts its result at 1024
   * bytes by default, which would shorten a restriction without a word).
   */
  findAuthToken(digest: string): Promise<AuthToken | null> {
    return guarded(async () => {
      const rows: AuthTokenRow[] = await this.db.query(
        `SELECT t.id, t.user_id, t.display_prefix, t.expires_on, t.revoked_on, t.scopes,
                EXISTS(SELECT 1 FROM api_guard_token_projects p WHERE p.token_id = t.id)
                  OR EXISTS(SELECT 1 FROM api_guard_token_trackers r WHERE r.token_id = t.id) AS restricted
           FROM api_guard_tokens t WHERE t.token_digest = ? LIMIT 1`,
        [digest],
      );
      if (rows.length === 0) return null;
      const row = rows[0];
      if (!Number(row.restricted)) return authTokenFromRow(row);
      const restrictions = (await this.restrictionsOf([row.id]))(row.id);
      if (restrictions.projects.length === 0 && restrictions.trackerIds.length === 0) {
        // Its rows went away between the two reads (nothing in the product
        // deletes them): unknown, never unrestricted.
        return null;
      }
      return authTokenFromRow(row, restrictions);
    });
  }

  findById(id: number): Promise<TokenRecord | null> {
    return this.findOne({ id: String(id) });
  }

  private findOne(where: { id: string }): Promise<TokenRecord | null> {
    return guarded(async () => {
      const row = await this.db.getRepository(ApiGuardTokenEntity).findOneBy(where);
      return row ? (await this.withRestrictions([row]))[0] : null;
    });
  }

  listByUser(userId: number, includeRevoked: boolean): Promise<TokenRecord[]> {
    return guarded(async () => {
      const query = this.repository().where('t.user_id = :userId', { userId });
      if (!includeRevoked) query.andWhere('t.revoked_on IS NULL');
      const rows = await query.orderBy('t.created_on', 'DESC').addOrderBy('t.id', 'DESC').getMany();
      return this.withRestrictions(rows);
    });
  }

  search(filter: TokenFilter, page: Page, now: Date): Promise<TokenPage> {
    return guarded(async () => {
      const query = this.repository();
      if (filter.userId) query.andWhere('t.user_id = :userId', { userId: filter.userId });
      applyStatus(query, filter, now);
      const [rows, totalCount] = await query
        .orderBy('t.created_on', 'DESC')
        .addOrderBy('t.id', 'DESC')
        .skip((page.page - 1) * page.perPage)
        .take(page.perPage)
        .getManyAndCount();
      return { tokens: await this.withRestrictions(rows), totalCount };
    });
  }

  revoke(id: number, byUserId: number | null, at: Date): Promise<TokenRecord | null> {
    return guarded(async () => {
      await this.db
        .getRepository(ApiGuardTokenEntity)
        .createQueryBuilder()
        .update()
        .set({ revoked_on: at, revoked_by_id: byUserId, updated_on: at })
        .where('id = :id AND revoked_on IS NULL', { id })
        .execute();
      return this.findById(id);
    });
  }

  /** One UPDATE for the whole batch. */
  recordUses(uses: TokenUse[]): Promise<void> {
    return guarded(async () => {
      if (uses.length === 0) return;

      const cases = uses.map(() => 'WHEN ? THEN ?').join(' ');
      await this.db.query(
        `UPDATE api_guard_tokens
            SET last_used_on = CASE id ${cases} END, last_used_ip = CASE id ${cases} END
          WHERE id IN (${uses.map(() => '?').join(', ')})`,
        [
          ...uses.flatMap((u) => [u.id, u.at]),
          ...uses.flatMap((u) => [u.id, u.ip]),
          ...uses.map((u) => u.id),
        ],
      );
    });
  }

  private repository(): SelectQueryBuilder<ApiGuardTokenRow> {
    return this.db.getRepository(ApiGuardTokenEntity).createQueryBuilder('t');
  }
}

function applyStatus(query: SelectQueryBuilder<ApiGuardTokenRow>, filter: TokenFilter, now: Date) {
  if (filter.expiringWithinDays) {
    const until = new Date(now.getTime() + filter.expiringWithinDays * DAY_MS);
    query.andWhere('t.revoked_on IS NULL AND t.expires_on > :now AND t.expires_on <= :until', {
      now,
      until,
    });
  }
  if (filter.status === 'active') {
    query.andWhere('t.revoked_on IS NULL AND t.expires_on > :now', { now });
  } else if (filter.status === 'expired') {
    query.andWhere('t.revoked_on IS NULL AND t.expires_on <= :now', { now });
  } else if (filter.status === 'revoked') {
    query.andWhere('t.revoked_on IS NOT NULL');
  }
}
