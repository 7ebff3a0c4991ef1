import { isIP } from 'node:net';
import { LRUCache } from 'lru-cache';
import type { TokenStore } from './stores';

const WRITE_INTERVAL_MS = 60_000;

/**
 * Writes a token's last-used time and IP at most once a minute, off the
 * request path: the write is started and not awaited.
 */
export class UsageRecorder {
  private readonly recent = new LRUCache<number, true>({
    max: 200_000,
    ttl: WRITE_INTERVAL_MS,
    ttlAutopurge: false,
  });

  constructor(
    private readonly store: Pick<TokenStore, 'recordUse'>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A failed write is not retried before the minute is over either. */
  record(tokenId: number, at: Date, ip: string | null): void {
    if (this.recent.has(tokenId)) return;

    this.recent.set(tokenId, true);
    this.store.recordUse(tokenId, at, normalizeIp(ip)).catch(this.onError);
  }
}

/** The client address as stored: a valid IPv4 or IPv6 address, else none. */
export function normalizeIp(ip: string | null): string | null {
  const address = ip?.split('%')[0] ?? '';
  return isIP(address) ? address : null;
}
