/**
 * Benchmarks 1, 2 and 5 of `make bench`: the authorization RPC against the
 * empty-RPC floor (unix socket and TCP, concurrency 1/16/64), the cold path
 * (tokens not cached), and memory with 100,000 cached tokens under a flood of
 * random ones. The sidecar runs in a child process on the real database; this
 * process is the load generator. Prints one JSON document.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client, credentials } from '@grpc/grpc-js';
import { generateToken } from '../src/domain/token-format';
import {
  AuthorizeRequest,
  AuthorizeResponse,
  CredentialKind,
  Decision,
} from '../src/generated/redmine/apiguard/v1/api_guard';
import { prepareBenchDatabase, dropBenchDatabase } from './bench-database';
import { FLOOR_PATH, SIZED_FLOOR_PATH } from './floor-service';
import { drive, each, round, summarize, type Summary } from './stats';

const DB = 'apiguard_bench';
const TEMPLATE = process.env.BENCH_TEMPLATE_DB ?? 'apiguard_e2e';
const VAR = process.env.APIGUARD_VAR ?? '/var/tmp/redmine-api-guard';
const SOCKET = join(VAR, 'run', 'bench.sock');
const METRICS_PORT = 9469;
const TOKENS = Number(process.env.BENCH_TOKENS ?? 100_000);
const COLD = Number(process.env.BENCH_COLD ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const FLOOD = Number(process.env.BENCH_FLOOD ?? 200_000);

const ROUNDS = 6;

/**
 * The size of an allow answer for the bench's tokens (no scopes, no
 * restriction), for the sized floor; the real size is checked after the
 * first call and reported.
 */
function representativeAnswerBytes(): number {
  return AuthorizeResponse.encode(AuthorizeResponse.fromPartial({
    decision: Decision.DECISION_ALLOW,
    userId: 1000,
    tokenId: 1000,
    credentialKind: CredentialKind.CREDENTIAL_KIND_PERSONAL_TOKEN,
    displayPrefix: 'rmp_abcdefgh',
    expiresAt: new Date(Date.now() + 90 * 86_400_000),
  })).finish().length;
}

function startSidecar(): Promise<{ child: ChildProcess; tcpPort: number; pid: number }> {
  // BENCH_SIDECAR_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the sidecar.
  const nodeArgs = (process.env.BENCH_SIDECAR_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, 'sidecar-server.js')], {
    env: {
      PATH: process.env.PATH,
      APIGUARD_DB_NAME: DB,
      APIGUARD_DB_USER: 'root',
      APIGUARD_SOCKET: SOCKET,
      APIGUARD_TCP: '127.0.0.1:0',
      APIGUARD_METRICS: `127.0.0.1:${METRICS_PORT}`,
      APIGUARD_CACHE_MAX: '100000',
      APIGUARD_CACHE_TTL_MS: '3600000',
      BENCH_SIZED_ANSWER_BYTES: String(representativeAnswerBytes()),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench sidecar exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const ready = JSON.parse(line) as { tcpPort: number; pid: number };
      resolve({ child, ...ready });
    });
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024, 1);
}

async function counter(name: string, labels: string): Promise<number> {
  const body = await (await fetch(`http://127.0.0.1:${METRICS_PORT}/metrics`)).text();
  const selector = labels ? `${name}{${labels}}` : `${name} `;
  const line = body.split('\n').find((l) => l.startsWith(selector));
  return Number(line?.trim().split(' ').at(-1) ?? 0);
}

const heapMb = async () => round((await counter('apiguard_nodejs_heap_size_used_bytes', '')) / 1048576, 1);

const AUTHORIZE_PATH = '/redmine.apiguard.v1.AuthorizationService/Authorize';
const identity = (bytes: Buffer) => bytes;

function encodeAuthorize(credential: string): Buffer {
  const request = AuthorizeRequest.fromPartial({
    credential,
    context: { remoteIp: '127.0.0.1', method: 'GET', path: '/issues.json', requestId: 'bench' },
  });
  return Buffer.from(AuthorizeRequest.encode(request).finish());
}

/**
 * One raw client for both RPCs: requests are sent as bytes and answers kept
 * as bytes, so that the comparison measures the server, not the client's
 * message handling.
 */
function clients(address: string) {
  const raw = new Client(address, credentials.createInsecure());
  const send = (path: string, bytes: Buffer) =>
    new Promise<Buffer>((resolve, reject) =>
      raw.makeUnaryRequest(path, identity, identity, bytes, (e, r) => (e ? reject(e) : resolve(r as Buffer))),
    );
  const empty = Buffer.alloc(0);
  return {
    empty: () => send(FLOOR_PATH, empty),
    sized: (bytes: Buffer) => send(SIZED_FLOOR_PATH, bytes),
    authorizeBytes: (bytes: Buffer) => send(AUTHORIZE_PATH, bytes),
    close: () => raw.close(),
  };
}

interface FloorRow {
  transport: string;
  concurrency: number;
  floor: Summary;
  sizedFloor: Summary;
  authorize: Summary;
  ratio: number;
  ratioToSized: number;
}

type Run = { samples: number[]; seconds: number };

/**
 * The three calls in alternation, ROUNDS short runs each in rotating order,
 * so that a change in the machine's load during the run hits all three alike.
 */
async function interleaved(ways: Array<() => Promise<unknown>>, concurrency: number): Promise<Run[]> {
  const runs: Run[] = ways.map(() => ({ samples: [], seconds: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < ways.length; i++) {
      const way = (round + i) % ways.length;
      const run = await drive(ways[way], concurrency, SECONDS / ROUNDS);
      runs[way].samples.push(...run.samples);
      runs[way].seconds += run.seconds;
    }
  }
  return runs;
}

async function floorComparison(tcpPort: number, token: string): Promise<FloorRow[]> {
  const rows: FloorRow[] = [];
  for (const [transport, address] of [['unix', `unix:${SOCKET}`], ['tcp', `127.0.0.1:${tcpPort}`]]) {
    const c = clients(address);
    const request = encodeAuthorize(token);
    await drive(() => c.authorizeBytes(request), 8, 0.5); // connect and warm up
    for (const concurrency of [1, 16, 64]) {
      await drive(() => c.empty(), concurrency, 0.3);
      const runs = await interleaved(
        [() => c.empty(), () => c.sized(request), () => c.authorizeBytes(request)],
        concurrency,
      );
      const [floor, sizedFloor, authorize] = runs.map((r) => summarize(r.samples, r.seconds));
      rows.push({
        transport, concurrency, floor, sizedFloor, authorize,
        ratio: round(authorize.callsPerSecond / floor.callsPerSecond, 3),
        ratioToSized: round(authorize.callsPerSecond / sizedFloor.callsPerSecond, 3),
      });
    }
    c.close();
  }
  return rows;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const tokens = await prepareBenchDatabase(DB, TEMPLATE, TOKENS);
  const { child, tcpPort, pid } = await startSidecar();
  try {
    const c = clients(`unix:${SOCKET}`);
    const rssIdleMb = rssMb(pid);
    const warm = tokens[0];
    const answer = await c.authorizeBytes(encodeAuthorize(warm));
    if (AuthorizeResponse.decode(answer).decision !== Decision.DECISION_ALLOW) throw new Error('bench token refused');
    const messageBytes = {
      request: encodeAuthorize(warm).length, answer: answer.length, sizedFloorAnswer: representativeAnswerBytes(),
    };

    const floor = await floorComparison(tcpPort, warm);

    const coldTokens = tokens.slice(1, 1 + COLD);
    const coldRequests = coldTokens.map(encodeAuthorize);
    const cold1 = await each(coldRequests.slice(0, COLD / 2), (r) => c.authorizeBytes(r), 1);
    const cold16 = await each(coldRequests.slice(COLD / 2), (r) => c.authorizeBytes(r), 16);

    await each(tokens, (t) => c.authorizeBytes(encodeAuthorize(t)), 16); // every token cached
    const rssCachedMb = rssMb(pid);
    const heapCachedMb = await heapMb();

    const hitsBefore = await counter('apiguard_cache_lookups_total', 'cache="credential",result="hit"');
    let validSent = 0;
    const flood = await each(Array.from({ length: FLOOD }, (_, i) => i), async (i) => {
      if (i % 2 === 0) {
        validSent += 1;
        return c.authorizeBytes(encodeAuthorize(tokens[(i * 7919) % tokens.length]));
      }
      return c.authorizeBytes(encodeAuthorize(generateToken())); // well formed, valid checksum, unknown
    }, 16);
    const hits = (await counter('apiguard_cache_lookups_total', 'cache="credential",result="hit"')) - hitsBefore;
    const rssAfterFloodMb = rssMb(pid);
    const heapAfterFloodMb = await heapMb();
    c.close();

    process.stdout.write(JSON.stringify({
      tokens: TOKENS,
      messageBytes,
      floor,
      cold: { concurrency1: summarize(cold1.samples, cold1.seconds), concurrency16: summarize(cold16.samples, cold16.seconds) },
      memory: {
        rssIdleMb, rssCachedMb, rssAfterFloodMb, heapCachedMb, heapAfterFloodMb,
        floodCalls: FLOOD, floodRandomTokens: FLOOD - validSent, validDuringFlood: validSent,
        validHitRatio: round(hits / validSent, 4),
        flood: summarize(flood.samples, flood.seconds),
      },
      seconds: Math.round((Date.now() - t0) / 1000),
    }, null, 2) + '\n');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await dropBenchDatabase(DB);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`grpc bench failed: ${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
