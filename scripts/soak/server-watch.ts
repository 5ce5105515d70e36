// Watching the server under soak from outside: its resident memory from /proc every second, and its /metrics gauges.
import { readFileSync } from "node:fs";
import { sleep } from "./http.js";

/** Resident memory of `pid` in MiB, from /proc (Linux); undefined once the process is gone. */
export function rssMiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match === null ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS until stopped, keeping the series and its peak. */
export class RssSampler {
  first: number | undefined;
  peak = 0;
  last: number | undefined;
  /** Every sample, in MiB. */
  readonly series: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(readonly pid: number, everyMs = 1000) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    const rss = rssMiB(this.pid);
    if (rss === undefined) return;
    this.first ??= rss;
    this.last = rss;
    this.peak = Math.max(this.peak, rss);
    this.series.push(rss);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

/** Every sample of a metric (all its label sets), summed; undefined if the metric is absent. */
export function metricValue(text: string, name: string): number | undefined {
  const values = [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm"))].map((m) => Number(m[1]));
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
}

/** The samples of a labelled metric, as label set → value. */
export function metricSamples(text: string, name: string): Map<string, number> {
  return new Map([...text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, "gm"))].map((m) => [m[1]!, Number(m[2])]));
}

/** The server's Prometheus text. */
export async function fetchMetrics(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

export interface Occupancy {
  busy: number | undefined;
  queued: number | undefined;
  metrics: string;
}

/** Polls /metrics until no slot is busy and nothing is queued, or `timeoutMs` passes; returns the last reading. */
export async function waitForIdle(baseUrl: string, timeoutMs: number): Promise<Occupancy> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const metrics = await fetchMetrics(baseUrl);
    const reading = { busy: metricValue(metrics, "lals_slots_busy"), queued: metricValue(metrics, "lals_queue_depth"), metrics };
    if ((reading.busy === 0 && reading.queued === 0) || Date.now() >= until) return reading;
    await sleep(250);
  }
}
