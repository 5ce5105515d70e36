// Cuts off a client that stops reading a stream. Node sees a full socket (writableNeedDrain) only once the kernel's
// buffers are full: the peer's receive buffer and our send buffer, which Linux grows to 4 MiB, a quarter of an hour of
// a real model's tokens. So the stream's socket gets a small send buffer, and where the kernel tells (Linux, TCP_INFO)
// the client is judged by what its side acknowledges: data waits for it and the count has not moved for the timeout.
import type { Socket } from "node:net";
import type { FastifyReply } from "fastify";
import { deliveryState, limitSendBuffer, type DeliveryState } from "./kernel-socket.js";

const CHECK_EVERY_MS = 1000;
/** Ample for a stream of tokens; measured on loopback, a client reading nothing then takes ~250 KB before Node sees backpressure instead of ~3.8 MB. */
export const STREAM_SEND_BUFFER_BYTES = 64 * 1024;

export interface StallWatchOptions {
  /** What the kernel knows of the socket's delivery (kernel-socket.ts by default; undefined where it cannot tell). */
  delivery?: (socket: Socket) => DeliveryState | undefined;
}

/** Calls `onStall` once when the reply's client has taken nothing of what waits for it for `timeoutMs`; 0 disables the watch. */
export function watchWriteStall(reply: FastifyReply, timeoutMs: number, onStall: () => void, { delivery = deliveryState }: StallWatchOptions = {}): void {
  if (timeoutMs <= 0) return;
  const raw = reply.raw;
  const socket = raw.socket ?? undefined;
  if (socket !== undefined) limitSendBuffer(socket, STREAM_SEND_BUFFER_BYTES);
  let blockedSince: number | undefined;
  let acknowledged: number | undefined;
  const timer = setInterval(() => {
    const state = socket === undefined ? undefined : delivery(socket);
    const moved = state !== undefined && state.acknowledged !== acknowledged;
    acknowledged = state?.acknowledged;
    const waiting = raw.writableNeedDrain || state?.waiting === true;
    if (!waiting || moved) {
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
