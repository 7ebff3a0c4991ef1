/**
 * Benchmark 4 of `make bench`: a real Redmine serving two API requests, three
 * ways in alternation with one load generator (autocannon) at one
 * concurrency: stock Redmine with its legacy key (plugin switched off), the
 * legacy key through the plugin, and a personal token through the plugin.
 * Prints one JSON document.
 * env: BENCH_STOCK_URL, BENCH_GUARD_URL, BENCH_LEGACY_KEY, BENCH_TOKEN, BENCH_ISSUE_ID
 */
import autocannon from 'autocannon';
import { round } from './stats';

const CONCURRENCY = Number(process.env.BENCH_HTTP_CONCURRENCY ?? 4);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);

interface Way {
  name: string;
  base: string;
  key: string;
}

interface Measure {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

async function load(url: string, key: string, seconds: number): Promise<Measure> {
  const result = await autocannon({
    url,
    connections: CONCURRENCY,
    duration: seconds,
    headers: { 'X-Redmine-API-Key': key },
  });
  return {
    requestsPerSecond: round(result.requests.average, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

function mean(values: number[]): number {
  return round(values.reduce((a, b) => a + b, 0) / values.length, 2);
}

async function main(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const ways: Way[] = [
    { name: 'stock Redmine, legacy key', base: env('BENCH_STOCK_URL'), key: env('BENCH_LEGACY_KEY') },
    { name: 'plugin, legacy key', base: env('BENCH_GUARD_URL'), key: env('BENCH_LEGACY_KEY') },
    { name: 'plugin, personal token', base: env('BENCH_GUARD_URL'), key: env('BENCH_TOKEN') },
  ];
  const paths = [`/issues/${env('BENCH_ISSUE_ID')}.json`, '/issues.json?limit=25'];
  const results = [];
  for (const path of paths) {
    for (const way of ways) await load(way.base + path, way.key, 1); // warm up
    const runs = new Map<string, Measure[]>(ways.map((w) => [w.name, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const way of ways) runs.get(way.name)!.push(await load(way.base + path, way.key, SECONDS));
    }
    const stock = mean(runs.get(ways[0].name)!.map((m) => m.requestsPerSecond));
    results.push({
      path,
      ways: ways.map((way) => {
        const measures = runs.get(way.name)!;
        const rps = mean(measures.map((m) => m.requestsPerSecond));
        return {
          name: way.name,
          requestsPerSecond: rps,
          p50Ms: mean(measures.map((m) => m.p50Ms)),
          p99Ms: mean(measures.map((m) => m.p99Ms)),
          non2xx: measures.reduce((a, m) => a + m.non2xx, 0),
          ratioToStock: round(rps / stock, 3),
        };
      }),
    });
  }
  process.stdout.write(JSON.stringify({ concurrency: CONCURRENCY, seconds: SECONDS, rounds: ROUNDS, results }, null, 2) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`http bench failed: ${String(error)}\n`);
  process.exit(1);
});
