/** Latency summary in milliseconds. */
export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile (p in 0–100) of unsorted values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}

const round = (x: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** p50/p95/p99/mean/max of latencies in ms, rounded to 0.01 ms. */
export function summarize(values: readonly number[]): LatencySummary {
  const n = values.length;
  const mean = n ? values.reduce((s, v) => s + v, 0) / n : 0;
  return {
    n,
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
    mean: round(mean),
    max: round(n ? Math.max(...values) : 0),
  };
}

/** Times an async call in ms. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t };
}

/** Memory of the process, in MiB. */
export interface MemoryReport {
  /** Highest `process.memoryUsage().rss` seen by the sampler. */
  sampledPeakRssMb: number;
  /** `process.resourceUsage().maxRSS`: the kernel's high-water mark for the whole process. */
  maxRssMb: number;
  /** Heap used at the end of the phase. */
  heapUsedMb: number;
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/** Samples RSS every `intervalMs` (the timer does not keep the process alive). */
export function startRssSampler(intervalMs = 25) {
  let peak = process.memoryUsage().rss;
  const sample = () => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    /** Samples now (call at the end of synchronous stretches the timer cannot interrupt). */
    sample,
    report(): MemoryReport {
      sample();
      return {
        sampledPeakRssMb: mb(peak),
        // Node reports maxRSS in kilobytes.
        maxRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
        heapUsedMb: mb(process.memoryUsage().heapUsed),
      };
    },
    stop() {
      clearInterval(timer);
    },
  };
}
