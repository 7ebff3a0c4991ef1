/**
 * Merges the pieces of `make bench` (machine, grpc, ruby, http JSON files in
 * the given directory) into RESULTS/latest.json and a markdown table in
 * RESULTS/latest.md, with each target and whether it was met.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any */
const [dir, results] = process.argv.slice(2);
const read = (name: string): any => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const machine = read('machine.json');
const grpc = read('grpc.json');
const ruby = read('ruby.json');
const http = read('http.json');
const met = (ok: boolean) => (ok ? 'met' : '**missed**');
const lines: string[] = [];
const table = (head: string[], rows: Array<Array<string | number>>) => {
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  lines.push('');
};

lines.push(`# make bench: ${machine.date}`, '');
lines.push(`Machine: ${machine.cores} cores, ${machine.cpu}; Node ${machine.node}, Ruby ${machine.ruby}, ` +
  `Redmine ${machine.redmine}, MariaDB ${machine.mariadb}.`, '');

lines.push('## 1. Authorization (valid token, warm cache) vs the empty-RPC floor', '');
const minRatio = Math.min(...grpc.floor.map((r: any) => r.ratio));
const minSized = Math.min(...grpc.floor.map((r: any) => r.ratioToSized));
const pair = (s: any) => `${s.callsPerSecond} (${s.p50Ms} / ${s.p99Ms})`;
table(['transport', 'concurrency', 'empty floor calls/s (p50 / p99 ms)', 'sized floor', 'authorize',
  'ratio to empty', 'ratio to sized'],
  grpc.floor.map((r: any) => [r.transport, r.concurrency, pair(r.floor), pair(r.sizedFloor), pair(r.authorize),
    r.ratio, r.ratioToSized]));
const bytes = grpc.messageBytes;
lines.push(`The three calls run in alternation (6 rounds each). The sized floor does no work either, but ` +
  `takes the authorization request (${bytes.request} bytes) and answers ${bytes.sizedFloorAnswer} bytes (a real ` +
  `answer: ${bytes.answer}): the gap between the floors is the cost of the contract's message sizes, ` +
  'the gap to the sized floor that of the sidecar\'s own code.', '');
lines.push(`Target ≥ 0.9× the floor: lowest ratio ${minRatio}, ${met(minRatio >= 0.9)} ` +
  `(to the sized floor: ${minSized}).`, '');

lines.push('## 2. Cold path (token not cached: database lookup)', '');
table(['concurrency', 'calls', 'p50 ms', 'p99 ms'], [
  [1, grpc.cold.concurrency1.calls, grpc.cold.concurrency1.p50Ms, grpc.cold.concurrency1.p99Ms],
  [16, grpc.cold.concurrency16.calls, grpc.cold.concurrency16.p50Ms, grpc.cold.concurrency16.p99Ms],
]);
lines.push(`Target p99 ≤ 3 ms (concurrency 1): ${grpc.cold.concurrency1.p99Ms} ms, ${met(grpc.cold.concurrency1.p99Ms <= 3)}.`, '');

lines.push('## 3. The plugin\'s hook inside Redmine vs a bare Ruby gRPC call', '');
table(['measure', 'samples', 'p50 ms', 'p99 ms'], [
  ['hook: the sidecar call and what builds it, inside each request', ruby.hook_samples, ruby.hook_p50_ms, ruby.hook_p99_ms],
  ['bare Ruby gRPC call to the empty RPC, inside the same requests', ruby.bare_samples, ruby.bare_p50_ms, ruby.bare_p99_ms],
]);
lines.push('Each request makes both calls, in alternating order; each is counted where it came first ' +
  '(a call right after another one is several times faster).', '');
lines.push(`Target hook p50 ≤ 1.3× the bare call: ${ruby.hook_to_bare_p50}×, ${met(ruby.hook_to_bare_p50 <= 1.3)} ` +
  `(ruby-grpc ${ruby.grpc}).`, '');

lines.push(`## 4. Whole requests (autocannon, ${http.concurrency} connections, ${http.rounds} rounds × ${http.seconds} s, ways in alternation)`, '');
let minHttp = Infinity;
for (const result of http.results) {
  lines.push(`\`GET ${result.path}\``, '');
  table(['way', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'ratio to stock'],
    result.ways.map((w: any) => [w.name, w.requestsPerSecond, w.p50Ms, w.p99Ms, w.non2xx, w.ratioToStock]));
  minHttp = Math.min(minHttp, ...result.ways.map((w: any) => w.ratioToStock));
}
lines.push(`Target ≥ 0.97× stock: lowest ratio ${minHttp}, ${met(minHttp >= 0.97)}.`, '');

const m = grpc.memory;
lines.push('## 5. Memory and abuse', '');
table(['measure', 'value'], [
  ['sidecar RSS, idle', `${m.rssIdleMb} MB`],
  [`sidecar RSS, ${grpc.tokens} distinct valid tokens cached`, `${m.rssCachedMb} MB`],
  [`flood: random well-formed tokens / valid tokens`, `${m.floodRandomTokens} / ${m.validDuringFlood}`],
  ['valid tokens\' cache hit ratio during the flood', m.validHitRatio],
  ['sidecar RSS after the flood', `${m.rssAfterFloodMb} MB`],
  ['V8 heap used: cached / after the flood', `${m.heapCachedMb} MB / ${m.heapAfterFloodMb} MB`],
  ['flood throughput', `${m.flood.callsPerSecond} calls/s, p99 ${m.flood.p99Ms} ms`],
]);
lines.push(`Target hit ratio ≥ 99%: ${met(m.validHitRatio >= 0.99)}; RSS growth during the flood: ` +
  `${Math.round((m.rssAfterFloodMb - m.rssCachedMb) * 10) / 10} MB.`, '');

writeFileSync(join(results, 'latest.md'), lines.join('\n'));
writeFileSync(join(results, 'latest.json'), JSON.stringify({ machine, grpc, ruby, http }, null, 2) + '\n');
