import type { AuthToken, TokenRecord, TokenRestrictions } from '../domain/token';
import type { ApiGuardTokenRow } from './entities/api-guard-token-row';

const NONE: TokenRestrictions = { projects: [], trackerIds: [] };

export function tokenFromRow(row: ApiGuardTokenRow, restrictions: TokenRestrictions = NONE): TokenRecord {
  return {
    ...restrictions,
    id: Number(row.id),
    userId: row.user_id,
    name: row.name,
    digest: row.token_digest,
    displayPrefix: row.display_prefix,
    scopes: parseScopes(row.scopes),
    createdOn: row.created_on,
    expiresOn: row.expires_on,
    lastUsedOn: row.last_used_on,
    lastUsedIp: row.last_used_ip,
    revokedOn: row.revoked_on,
    revokedById: row.revoked_by_id,
  };
}

/** The columns MysqlTokenStore.findAuthToken selects. */
export interface AuthTokenRow {
  id: string | number;
  user_id: number;
  display_prefix: string;
  expires_on: Date;
  revoked_on: Date | null;
  scopes: string | null;
  /** 1 when the token has project or tracker rows. */
  restricted: number | string;
}

export function authTokenFromRow(row: AuthTokenRow, restrictions: TokenRestrictions = NONE): AuthToken {
  return {
    projects: restrictions.projects,
    trackerIds: restrictions.trackerIds,
    id: Number(row.id),
    userId: row.user_id,
    displayPrefix: row.display_prefix,
    expiresAt: row.expires_on.getTime(),
    revokedAt: row.revoked_on ? row.revoked_on.getTime() : null,
    scopes: parseScopes(row.scopes),
  };
}

/**
 * NULL (the plugin writes no list) means every permission of the owner. A
 * list that cannot be read grants nothing: a damaged row must not widen a
 * token to all of its owner's rights.
 */
export function parseScopes(raw: string | null): string[] | null {
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}
