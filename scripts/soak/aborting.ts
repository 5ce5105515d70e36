// Aborting clients: a request whose AbortController fires at a random point — before the answer's headers, right
// after them, or some chunks into the stream. The abort itself is the expected outcome; an answer before it may only be
// a 200 or "overloaded", and a failure that isn't our abort is unexpected.
import { describeError, isOverloaded, MODEL, pick, post, randomInt, sleep } from "./http.js";
import { runRounds, type ClientContext } from "./loop.js";
import type { Outcome } from "./tally.js";

type AbortPoint = "before-headers" | "after-headers" | "mid-stream";

const REQUESTS: Array<{ path: string; body: Record<string, unknown> }> = [
  { path: "/v1/chat/completions", body: { model: MODEL, messages: [{ role: "user", content: "Abort me." }], max_tokens: 300, stream: true } },
  { path: "/v1/chat/completions", body: { model: MODEL, messages: [{ role: "user", content: "Abort me." }], max_tokens: 300 } },
  { path: "/v1/messages", body: { model: MODEL, max_tokens: 300, stream: true, messages: [{ role: "user", content: "Abort me." }] } },
  { path: "/v1/completions", body: { model: MODEL, prompt: "Abort me.", max_tokens: 300, stream: true } },
  { path: "/v1/responses", body: { model: MODEL, input: "Abort me.", max_output_tokens: 300, stream: true } },
];

/** One aborting client. */
export function abortingClient(ctx: ClientContext, maxRounds: number): Promise<void> {
  return runRounds(ctx, maxRounds, async () => {
    const { path, body } = pick(REQUESTS);
    const point = pick<AbortPoint>(["before-headers", "after-headers", "mid-stream"]);
    const controller = new AbortController();
    const timer = point === "before-headers" ? setTimeout(() => controller.abort(), randomInt(0, 400)) : undefined;
    ctx.tally.begin();
    const settle = (outcome: Outcome, detail: string): void => ctx.tally.settle(outcome, `${point} ${path}: ${detail}`);
    try {
      const response = await post(ctx.target, path, JSON.stringify(body), { signal: controller.signal });
      if (isOverloaded(response.status)) {
        await response.text();
        settle("refused", String(response.status));
      } else if (response.status !== 200) {
        settle("unexpected", `${response.status} ${(await response.text()).slice(0, 160)}`);
      } else if (point === "after-headers") {
        controller.abort();
        settle("ok", "aborted");
      } else {
        const reader = response.body!.getReader();
        const chunks = point === "mid-stream" ? randomInt(1, 30) : Number.POSITIVE_INFINITY;
        let read = 0;
        for (; read < chunks; read++) if ((await reader.read()).done) break;
        controller.abort();
        settle("ok", read < chunks ? "answered before the abort" : "aborted");
      }
    } catch (error) {
      if (controller.signal.aborted) settle("ok", "aborted");
      else settle("unexpected", describeError(error));
    } finally {
      clearTimeout(timer);
    }
    await sleep(randomInt(50, 500));
  });
}
