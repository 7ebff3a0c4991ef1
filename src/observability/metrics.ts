import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AuthMetrics, CacheName } from '../domain/auth-metrics';

/**
 * Prometheus metrics of the sidecar. Labels come from closed sets (rpc name,
 * gRPC code, decision, cache); no user or token id is ever a label.
 */
export class SidecarMetrics implements AuthMetrics {
  readonly registry = new Registry();

  private readonly rpcDuration = new Histogram({
    name: 'apiguard_rpc_duration_seconds',
    help: 'Time spent serving one gRPC call, by method and status code.',
    labelNames: ['rpc', 'grpc_code'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5],
    registers: [this.registry],
  });

  private readonly decisions = new Counter({
    name: 'apiguard_authorizations_total',
    help: 'Authorization decisions, by result (allow or deny reason) and credential kind.',
    labelNames: ['result', 'kind'] as const,
    registers: [this.registry],
  });

  private readonly cacheLookups = new Counter({
    name: 'apiguard_cache_lookups_total',
    help: 'Cache lookups on the authorization path, by cache and result.',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  readonly cacheEntries = new Gauge({
    name: 'apiguard_cache_entries',
    help: 'Entries held by each cache.',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });

  /**
   * @param databaseUp asked at each scrape (the one place this gauge is
   *   set): true when the database answers.
   */
  constructor(databaseUp: () => Promise<boolean> = async () => true) {
    collectDefaultMetrics({ register: this.registry, prefix: 'apiguard_' });
    new Gauge({
      name: 'apiguard_database_up',
      help: '1 when the database answered a ping at scrape time, 0 when it did not.',
      registers: [this.registry],
      async collect() {
        this.set((await databaseUp()) ? 1 : 0);
      },
    });
  }

  // Label sets are closed, so each child is looked up once and kept: the
  // hot path then skips prom-client's label hashing.
  private readonly children = new Map<string, { observe?: (v: number) => void; inc?: () => void }>();

  private child<T extends { observe?: (v: number) => void; inc?: () => void }>(key: string, make: () => T): T {
    let found = this.children.get(key) as T | undefined;
    if (!found) {
      found = make();
      this.children.set(key, found);
    }
    return found;
  }

  observeRpc(rpc: string, grpcCode: string, seconds: number): void {
    this.child(`rpc|${rpc}|${grpcCode}`, () => this.rpcDuration.labels(rpc, grpcCode)).observe(seconds);
  }

  cacheLookup(cache: CacheName, hit: boolean): void {
    const result = hit ? 'hit' : 'miss';
    this.child(`cache|${cache}|${result}`, () => this.cacheLookups.labels(cache, result)).inc();
  }

  decision(result: string, kind: string): void {
    this.child(`decision|${result}|${kind}`, () => this.decisions.labels(result, kind)).inc();
  }
}
