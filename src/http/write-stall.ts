// Cuts off a client that stops reading a stream: once the socket's buffer is full and stays full for the timeout,
// the client is taken to be stalled.
import type { FastifyReply } from "fastify";

const CHECK_EVERY_MS = 1000;

/** Calls `onStall` once when the reply's socket has refused more data for `timeoutMs`; 0 disables the watch. */
export function watchWriteStall(reply: FastifyReply, timeoutMs: number, onStall: () => void): void {
  if (timeoutMs <= 0) return;
  const raw = reply.raw;
  let blockedSince: number | undefined;
  const timer = setInterval(() => {
    if (!raw.writableNeedDrain) {
      blockedSince = undefined;
      return;
    }
    blockedSince ??= Date.now();
    if (Date.now() - blockedSince >= timeoutMs) {
      clearInterval(timer);
      onStall();
    }
  }, Math.min(CHECK_EVERY_MS, timeoutMs));
  timer.unref();
  raw.once("close", () => clearInterval(timer));
}
