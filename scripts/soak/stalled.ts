// Stalled clients on raw sockets. A stalled reader sends a streaming request with a large max_tokens, reads the first
// chunk (to learn the status), then never reads again and is destroyed after 2–15 s: the server must end or cut off
// its generation (WRITE_STALL_TIMEOUT) and free the slot. A stalled sender announces a body it never finishes: the
// server must answer 408 or close once REQUEST_TIMEOUT has passed (Node checks that every 30 s).
import { connect } from "node:net";
import { isOverloaded, MODEL, pick, randomInt, rawExchange, rawPost, sleep, statusOf, type Target } from "./http.js";
import { runRounds, type ClientContext } from "./loop.js";
import type { Outcome } from "./tally.js";

/** Longest a stalled sender waits: REQUEST_TIMEOUT (5 s in the soak), plus up to 30 s until Node next checks, plus margin. */
export const SENDER_WAIT_MS = 45_000;
/** A stalled reader with no answer by then was neither served nor refused by the queue (QUEUE_TIMEOUT is shorter). */
const READER_ANSWER_MS = 30_000;

const READER_REQUESTS: Array<{ path: string; body: Record<string, unknown> }> = [
  { path: "/v1/chat/completions", body: { model: MODEL, messages: [{ role: "user", content: "Go on and on." }], max_tokens: 4000, stream: true } },
  { path: "/v1/messages", body: { model: MODEL, max_tokens: 4000, stream: true, messages: [{ role: "user", content: "Go on and on." }] } },
  { path: "/v1/responses", body: { model: MODEL, input: "Go on and on.", max_output_tokens: 4000, stream: true } },
];

/** Sends a streaming request, takes the status from the first chunk, stops reading, and destroys the socket after `holdMs`. */
function stalledReader(target: Target, holdMs: number): Promise<{ outcome: Outcome; detail: string }> {
  const { path, body } = pick(READER_REQUESTS);
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    let settled = false;
    const finish = (outcome: Outcome, detail: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(noAnswer);
      // Hold the unread stream for a while whatever the status, then leave.
      setTimeout(() => { socket.destroy(); resolve({ outcome, detail }); }, outcome === "ok" ? holdMs : 0);
    };
    const noAnswer = setTimeout(() => finish("unexpected", `reader ${path}: no answer in ${READER_ANSWER_MS / 1000} s`), READER_ANSWER_MS);
    socket.once("data", (chunk: Buffer) => {
      socket.pause();
      const status = statusOf(chunk.toString("latin1", 0, 64));
      if (status === 200) finish("ok", `reader ${path}: 200, then stopped reading`);
      else if (status !== undefined && isOverloaded(status)) finish("refused", `reader ${path}: ${status}`);
      else finish("unexpected", `reader ${path}: ${status ?? "no status line"}`);
    });
    socket.on("error", (error) => finish("unexpected", `reader ${path}: ${error.message}`));
    socket.on("close", () => finish("unexpected", `reader ${path}: closed before an answer`));
    socket.write(rawPost(target, path, JSON.stringify(body), { Connection: "keep-alive" }));
  });
}

async function stalledSender(target: Target): Promise<{ outcome: Outcome; detail: string }> {
  const body = JSON.stringify({ model: MODEL, max_tokens: 8, messages: [{ role: "user", content: "x".repeat(2000) }] });
  const request = rawPost(target, "/v1/messages", body);
  const answer = await rawExchange(target, request.slice(0, request.length - 1000), { timeoutMs: SENDER_WAIT_MS });
  if (answer.status === 408) return { outcome: "ok", detail: "sender: 408" };
  if (answer.status === undefined && answer.closed) return { outcome: "ok", detail: "sender: closed" };
  return { outcome: "unexpected", detail: answer.timedOut ? `sender: no 408 or close within ${SENDER_WAIT_MS / 1000} s` : `sender: ${answer.status}` };
}

/**
 * One stalled client, of readers or of senders. A sender waits up to 45 s for its answer, so after the first (sent at
 * once, so that even a short soak sees one timed out) another starts only if the soak has that long left.
 */
export function stalledClient(ctx: ClientContext, maxRounds: number, role: "reader" | "sender"): Promise<void> {
  return runRounds(ctx, maxRounds, async (round) => {
    if (role === "sender" && round > 0 && ctx.deadline - Date.now() < SENDER_WAIT_MS) return;
    ctx.tally.begin();
    const { outcome, detail } = role === "sender" ? await stalledSender(ctx.target) : await stalledReader(ctx.target, randomInt(2000, 15_000));
    ctx.tally.settle(outcome, detail);
    await sleep(randomInt(200, 1000));
  });
}
