import type { TokenRecord } from '../domain/token';
import type { ApiGuardTokenRow } from './entities/api-guard-token-row';

export function tokenFromRow(row: ApiGuardTokenRow): TokenRecord {
  return {
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

function parseScopes(raw: string | null): string[] | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map(String) : null;
  } catch {
    // TODO: report unreadable scope lists once scopes are enforced (issue 5).
    return null;
  }
}
