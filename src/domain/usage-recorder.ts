import { isIP } from 'node:net';
import { LRUCache } from 'lru-cache';
import type { TokenStore } from './stores';
import type { TokenUse } from './token';

const WRITE_INTERVAL_MS = 60_000;
const FLUSH_INTERVAL_MS = 1_000;
const MAX_BATCH = 500;

/**
 * Writes a token's last-used time and IP at most once a minute, off the
 * request path: uses are queued and written in batches every second.
 */
export class UsageRecorder {
  private readonly recent = new LRUCache<number, true>({ max: 200_000, ttl: WRITE_INTERVAL_MS });
  private queue: TokenUse[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Pick<TokenStore, 'recordUses'>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A failed write is not retried before the minute is over either. */
  record(tokenId: number, at: Date, ip: string | null): void {
    if (this.recent.has(tokenId)) return;

    this.recent.set(tokenId, true);
    this.queue.push({ id: tokenId, at, ip: normalizeIp(ip) });
    if (this.queue.length >= MAX_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  /** Writes what is queued; also called at shutdown. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;

    await this.store.recordUses(batch).catch(this.onError);
  }
}

/** The client address as stored: a valid IPv4 or IPv6 address, else none. */
export function normalizeIp(ip: string | null): string | null {
  const address = ip?.split('%')[0] ?? '';
  return isIP(address) ? address : null;
}
