import { AuthCache, type AuthCacheOptions } from '../../src/domain/auth-cache';
import { Authorizer } from '../../src/domain/authorizer';
import { noMetrics } from '../../src/domain/auth-metrics';
import { PolicyProvider } from '../../src/domain/policy-provider';
import { TokenService, type TokenEvents } from '../../src/domain/token-service';
import { UsageRecorder } from '../../src/domain/usage-recorder';
import {
  FakeLegacyKeyStore,
  FakePolicyStore,
  FakeTokenStore,
  FakeUserStore,
  FixedClock,
} from './fakes';

export const CACHE_DEFAULTS: AuthCacheOptions = {
  maxEntries: 1000,
  ttlMs: 60_000,
  maxMisses: 100,
  missTtlMs: 30_000,
  userTtlMs: 5_000,
};

/** The domain wired on fakes, returned with the fakes for assertions. */
export function createFakeDomain(cacheOptions: Partial<AuthCacheOptions> = {}) {
  const tokens = new FakeTokenStore();
  const users = new FakeUserStore();
  const legacyKeys = new FakeLegacyKeyStore();
  const policyStore = new FakePolicyStore();
  const clock = new FixedClock();
  const cache = new AuthCache({ ...CACHE_DEFAULTS, ...cacheOptions });
  const policy = new PolicyProvider(policyStore, () => undefined);
  const usage = new UsageRecorder(tokens, () => undefined);
  const events: Array<{ event: string; tokenId: number }> = [];
  const tokenEvents: TokenEvents = {
    created: (t) => events.push({ event: 'created', tokenId: t.id }),
    revoked: (t) => events.push({ event: 'revoked', tokenId: t.id }),
  };
  const authorizer = new Authorizer({
    tokens, legacyKeys, users, cache, policy, usage, clock, metrics: noMetrics,
  });
  const service = new TokenService({ tokens, users, cache, policy, clock, events: tokenEvents });
  return { tokens, users, legacyKeys, policyStore, clock, cache, policy, authorizer, service, events, usage };
}
