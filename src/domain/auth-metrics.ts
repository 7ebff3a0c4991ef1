/** What the domain reports; observability/metrics.ts implements it. */
export type CacheName = 'credential' | 'miss' | 'user';

export interface AuthMetrics {
  cacheLookup(cache: CacheName, hit: boolean): void;
  decision(result: string, kind: string): void;
}

export const noMetrics: AuthMetrics = {
  cacheLookup: () => undefined,
  decision: () => undefined,
};
