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

  // prom-client hashes and checks the labels on every inc, even through a
  // bound child. These two count on every authorization, so the counts are
  // kept in plain numbers and handed over when the registry is scraped.
  private readonly pendingDecisions = new PendingCounts();
  private readonly pendingCacheLookups = new PendingCounts();

  private readonly decisions = new Counter({
    name: 'apiguard_authorizations_total',
    help: 'Authorization decisions, by result (allow or deny reason) and credential kind.',
    labelNames: ['result', 'kind'] as const,
    registers: [this.registry],
    collect: () => this.pendingDecisions.flush((a, b, n) => this.decisions.inc({ result: a, kind: b }, n)),
  });

  private readonly cacheLookups = new Counter({
    name: 'apiguard_cache_lookups_total',
    help: 'Cache lookups on the authorization path, by cache and result.',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
    collect: () => this.pendingCacheLookups.flush((a, b, n) => this.cacheLookups.inc({ cache: a, result: b }, n)),
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

  /**
   * Returns the timer of one RPC: called with the status code and the
   * duration. Children are looked up once per code (label sets are closed).
   */
  rpcTimer(rpc: string): (grpcCode: string, seconds: number) => void {
    const children = new Map<string, Observer>();
    return (grpcCode, seconds) => {
      let child = children.get(grpcCode);
      if (!child) {
        child = this.rpcDuration.labels(rpc, grpcCode);
        children.set(grpcCode, child);
      }
      child.observe(seconds);
    };
  }

  cacheLookup(cache: CacheName, hit: boolean): void {
    this.pendingCacheLookups.add(cache, hit ? 'hit' : 'miss');
  }

  decision(result: string, kind: string): void {
    this.pendingDecisions.add(result, kind);
  }
}

interface Observer {
  observe(seconds: number): void;
}

/** Counts by two labels, kept until they are flushed into a Counter. */
class PendingCounts {
  private readonly counts = new Map<string, Map<string, number>>();

  add(a: string, b: string): void {
    let inner = this.counts.get(a);
    if (!inner) {
      inner = new Map();
      this.counts.set(a, inner);
    }
    inner.set(b, (inner.get(b) ?? 0) + 1);
  }

  flush(into: (a: string, b: string, n: number) => void): void {
    for (const [a, inner] of this.counts) {
      for (const [b, n] of inner) {
        if (n > 0) into(a, b, n);
        inner.set(b, 0);
      }
    }
  }
}
