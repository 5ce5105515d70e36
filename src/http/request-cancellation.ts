// The signal that cancels a request's engine work, with its cause: the client leaving before the answer is complete,
// the server's shutdown deadline, or the answer's own signal.
import type { FastifyReply } from "fastify";
import { cancelWith } from "../core/cancel-cause.js";

export function requestCancellation(reply: FastifyReply, shutdown: AbortSignal, own?: AbortSignal): AbortController {
  const controller = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) cancelWith(controller, { type: "client_gone" });
  });
  const onShutdown = (): void => cancelWith(controller, { type: "shutdown" });
  if (shutdown.aborted) onShutdown();
  else {
    shutdown.addEventListener("abort", onShutdown, { once: true });
    reply.raw.once("close", () => shutdown.removeEventListener("abort", onShutdown));
  }
  own?.addEventListener("abort", () => controller.abort(own.reason), { once: true });
  return controller;
}

