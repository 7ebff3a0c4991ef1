/** Latency samples in milliseconds, summarised. */
export interface Summary {
  calls: number;
  seconds: number;
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, at)];
}

export function summarize(samples: number[], seconds: number): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    calls: samples.length,
    seconds: round(seconds, 2),
    callsPerSecond: Math.round(samples.length / seconds),
    p50Ms: round(percentile(sorted, 50), 3),
    p99Ms: round(percentile(sorted, 99), 3),
  };
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Runs `concurrency` workers calling `once` until `seconds` have passed;
 * returns each call's latency in ms. `once` gets a running call number.
 */
export async function drive(
  once: (n: number) => Promise<unknown>,
  concurrency: number,
  seconds: number,
): Promise<{ samples: number[]; seconds: number }> {
  const samples: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  let n = 0;
  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      const t0 = process.hrtime.bigint();
      await once(n++);
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Calls `once` for each item, `concurrency` at a time; returns latencies in ms. */
export async function each<T>(
  items: T[],
  once: (item: T) => Promise<unknown>,
  concurrency: number,
): Promise<{ samples: number[]; seconds: number }> {
  const samples: number[] = [];
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      const t0 = process.hrtime.bigint();
      await once(item);
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
