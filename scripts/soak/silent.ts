// Silent sockets: connections that send nothing. Each batch opens a handful and waits: the server must close every one
// once FIRST_BYTE_TIMEOUT has passed, without an answer or with Node's 408 (the soak's REQUEST_TIMEOUT is as short, and
// whichever fires first closes it), while the well-behaved clients go on being served.
import { connect } from "node:net";
import { randomInt, sleep, statusOf, type Target } from "./http.js";
import { runRounds, type ClientContext } from "./loop.js";
import type { Outcome } from "./tally.js";

/** FIRST_BYTE_TIMEOUT in the soak, and how long past it a silent socket may still be open. */
// The default: shorter, a client process starved of CPU between connecting and writing its request would be cut off.
export const FIRST_BYTE_TIMEOUT_S = 5;
const GRACE_MS = 3000;
const PER_BATCH = 8;

function silentSocket(target: Target): Promise<{ outcome: Outcome; detail: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    let head = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ outcome: "unexpected", detail: `still open ${FIRST_BYTE_TIMEOUT_S} s + ${GRACE_MS / 1000} s after connecting` });
    }, FIRST_BYTE_TIMEOUT_S * 1000 + GRACE_MS);
    socket.on("data", (chunk: Buffer) => { head += chunk.toString("latin1", 0, Math.min(chunk.length, 64)); });
    socket.on("error", () => undefined);
    socket.once("close", () => {
      clearTimeout(timer);
      if (head === "") resolve({ outcome: "refused", detail: "closed by the server, unanswered" });
      else if (statusOf(head) === 408) resolve({ outcome: "refused", detail: "closed by the server with 408" });
      else resolve({ outcome: "unexpected", detail: `got ${JSON.stringify(head.slice(0, 40))} before the close` });
    });
  });
}

/** One silent client: batches of silent sockets, one batch at a time. */
export function silentClient(ctx: ClientContext, maxRounds: number): Promise<void> {
  return runRounds(ctx, maxRounds, async () => {
    const sockets = Array.from({ length: PER_BATCH }, () => {
      ctx.tally.begin();
      return silentSocket(ctx.target).then(({ outcome, detail }) => ctx.tally.settle(outcome, detail));
    });
    await Promise.all(sockets);
    await sleep(randomInt(200, 1000));
  });
}
