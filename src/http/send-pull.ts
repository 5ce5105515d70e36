// Serves a `pull` answer: the model's file fetched ahead of its first use, its progress streamed (at most one event
// every PROGRESS_EVERY_MS) or only the end sent. A client that leaves does not stop the download: others may share it.
import { Readable } from "node:stream";
import type { FastifyReply } from "fastify";
import { SSE_HEADERS } from "../core/sse.js";
import type { Answer, PullEvent } from "../protocols/endpoint.js";
import type { PullProgress } from "../engines/llama/model-files.js";
import type { RouteDeps } from "./route-deps.js";

type PullAnswer = Extract<Answer, { type: "pull" }>;

const PROGRESS_EVERY_MS = 250;

export async function sendPull(reply: FastifyReply, deps: RouteDeps, answer: PullAnswer): Promise<unknown> {
  let latest: PullProgress | undefined;
  let wake: (() => void) | undefined;
  // Throws before anything is sent when the name is no local model.
  const pulled = deps.router.pull(answer.model, (progress) => {
    latest = progress;
    wake?.();
  });
  if (!answer.stream) return answer.render({ type: "done", path: await pulled });
  let settled = false;
  pulled.then(() => { settled = true; wake?.(); }, () => { settled = true; wake?.(); });
  async function* events(): AsyncGenerator<PullEvent> {
    while (!settled) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, PROGRESS_EVERY_MS).unref();
      });
      if (latest !== undefined) yield { type: "progress", ...latest };
      latest = undefined;
      if (!settled) await new Promise((resolve) => setTimeout(resolve, PROGRESS_EVERY_MS).unref());
    }
    yield { type: "done", path: await pulled };
  }
  return reply.headers({ ...SSE_HEADERS, "content-type": answer.streamContentType }).send(Readable.from(answer.renderStream(events())));
}
