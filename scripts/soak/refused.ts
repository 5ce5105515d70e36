// Sends one request that the server must refuse with a 4xx (or, where a case allows it, by closing the connection),
// and counts the outcome: a 5xx, a 2xx/3xx or a connection error is unexpected. Shared by the oversized and malformed
// clients.
import { describeError, post, rawExchange, type Target } from "./http.js";
import type { Tally } from "./tally.js";

export interface RefusalCase {
  name: string;
  /** A fetch POST (path, body, headers), or raw bytes on a socket, half-closed after when `end` is set. */
  send: { path: string; body: () => string | Uint8Array; headers?: Record<string, string>; method?: string } | { raw: (target: Target) => string | Uint8Array; end?: boolean };
  /** The server may close the connection instead of answering (a body it won't read, bytes that aren't HTTP). */
  mayClose?: boolean;
}

const TIMEOUT_MS = 30_000;

/** Sends one case and counts it in `tally`: refused as expected, or unexpected. */
export async function sendRefusal(target: Target, tally: Tally, item: RefusalCase): Promise<void> {
  tally.begin();
  const settle = (ok: boolean, detail: string): void => tally.settle(ok ? "refused" : "unexpected", `${item.name}: ${detail}`);
  if ("raw" in item.send) {
    const answer = await rawExchange(target, item.send.raw(target), { timeoutMs: TIMEOUT_MS, ...(item.send.end === undefined ? {} : { end: item.send.end }) });
    if (answer.status !== undefined) return settle(answer.status >= 400 && answer.status < 500, String(answer.status));
    return settle(answer.closed && item.mayClose === true, answer.timedOut ? "no answer" : "closed");
  }
  const { path, body, headers, method = "POST" } = item.send;
  try {
    const response = method === "POST"
      ? await post(target, path, body(), { signal: AbortSignal.timeout(TIMEOUT_MS), ...(headers === undefined ? {} : { headers }) })
      : await fetch(`${target.baseUrl}${path}`, { method, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await response.text();
    settle(response.status >= 400 && response.status < 500, response.status >= 400 && response.status < 500 ? String(response.status) : `${response.status} ${text.slice(0, 160)}`);
  } catch (error) {
    settle(item.mayClose === true, `closed (${describeError(error)})`);
  }
}
