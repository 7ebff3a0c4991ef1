/** A project a token is restricted to, with or without its subprojects. */
export interface ProjectRestriction {
  projectId: number;
  includeSubprojects: boolean;
}

/** Restrictions of a token; empty lists: no restriction of that kind. */
export interface TokenRestrictions {
  projects: ProjectRestriction[];
  trackerIds: number[];
}

/** A personal access token as the domain sees it; the plaintext is never here. */
export interface TokenRecord extends TokenRestrictions {
  id: number;
  userId: number;
  name: string;
  digest: string;
  displayPrefix: string;
  /** null: every permission of the owner (until the scopes issue narrows it). */
  scopes: string[] | null;
  createdOn: Date;
  expiresOn: Date;
  lastUsedOn: Date | null;
  lastUsedIp: string | null;
  revokedOn: Date | null;
  revokedById: number | null;
}

/**
 * What the authorization path needs of a token. Kept small (numbers, no
 * name, no digest) because up to a hundred thousand of them stay cached.
 */
export interface AuthToken extends TokenRestrictions {
  id: number;
  userId: number;
  displayPrefix: string;
  expiresAt: number; // ms since the epoch
  revokedAt: number | null;
  scopes: string[] | null;
}

export interface TokenUse {
  id: number;
  at: Date;
  ip: string | null;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

export function statusOf(token: TokenRecord, now: Date): TokenStatus {
  if (token.revokedOn) return 'revoked';
  if (token.expiresOn.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export interface NewToken extends TokenRestrictions {
  userId: number;
  name: string;
  digest: string;
  displayPrefix: string;
  scopes: string[] | null;
  createdOn: Date;
  expiresOn: Date;
}

export interface TokenFilter {
  userId?: number;
  status?: TokenStatus;
  /** Active tokens whose expiry falls within this many days from now. */
  expiringWithinDays?: number;
}

export interface Page {
  page: number;
  perPage: number;
}

export interface TokenPage {
  tokens: TokenRecord[];
  totalCount: number;
}

/** Formats a date the way messages show it (UTC calendar day). */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
