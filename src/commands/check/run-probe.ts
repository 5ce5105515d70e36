// Runs one probe against one server under its deadline and times it: status, time to first token, total time,
// output tokens and their rate.
import { describeFailure, type Failure } from "./describe-failure.js";
import type { Probe, ProbeContext } from "./probe.js";
import type { SdkClients } from "./sdk-clients.js";

export interface RunSettings {
  url: string;
  apiKey: string | undefined;
  /** "" when the probe names no model. */
  model: string;
  maxTokens: number;
  timeoutMs: number;
  sdks: SdkClients;
}

export interface Timing {
  status: number | null;
  /** Streamed: until the first token; not streamed: the whole answer. Null when the probe failed. */
  ttftMs: number | null;
  totalMs: number;
  outputTokens: number | null;
  tokensPerSecond: number | null;
}

export type ProbeOutcome = { ok: true; timing: Timing } | { ok: false; timing: Timing; failure: Failure };

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** Tokens a second: after the first token for a stream (decoding speed), over the whole answer otherwise. */
export function tokensPerSecond(stream: boolean, tokens: number | null, ttftMs: number, totalMs: number): number | null {
  const ms = stream ? totalMs - ttftMs : totalMs;
  if (tokens === null || tokens <= 0 || ms <= 0) return null;
  return round1(tokens / (ms / 1000));
}

class TimeoutError extends Error {
  override readonly name = "TimeoutError";
}

/** Rejects when `signal` aborts: a probe that ignored its signal still ends at its deadline. */
const abortion = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));

export async function runProbe(probe: Probe, settings: RunSettings): Promise<ProbeOutcome> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new TimeoutError(`timeout after ${settings.timeoutMs} ms`)), settings.timeoutMs);
  const started = performance.now();
  let status: number | null = null;
  let firstAt: number | undefined;
  const context: ProbeContext = {
    url: settings.url, apiKey: settings.apiKey, model: settings.model, maxTokens: settings.maxTokens, signal: deadline.signal, sdks: settings.sdks,
    received: (code) => { status = code; },
    firstToken: () => { firstAt ??= performance.now(); },
  };
  const running = probe.run(context);
  running.catch(() => undefined); // after a timeout its own rejection comes later, and is not news
  try {
    const answer = await Promise.race([running, abortion(deadline.signal)]);
    const totalMs = performance.now() - started;
    const ttftMs = probe.stream && firstAt !== undefined ? firstAt - started : totalMs;
    return {
      ok: true,
      timing: { status, ttftMs: round1(ttftMs), totalMs: round1(totalMs), outputTokens: answer.outputTokens, tokensPerSecond: tokensPerSecond(probe.stream, answer.outputTokens, ttftMs, totalMs) },
    };
  } catch (error) {
    const failure = describeFailure(error, deadline.signal.aborted ? settings.timeoutMs : undefined);
    const timing = { status: failure.status ?? status, ttftMs: null, totalMs: round1(performance.now() - started), outputTokens: null, tokensPerSecond: null };
    return { ok: false, timing, failure };
  } finally {
    clearTimeout(timer);
  }
}
