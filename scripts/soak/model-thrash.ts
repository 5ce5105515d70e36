// A client alternating two on-demand models that the memory limit holds only one of at a time: each request would
// unload the other model, if a freshly loaded model did not stay MODEL_MIN_RESIDENCY. Each answer is a 200, or
// "overloaded" when the wait for room outlasts QUEUE_TIMEOUT (waited out by the next round).
import { describeError, isOverloaded, post, sleep, type Target } from "./http.js";
import { runRounds, type ClientContext } from "./loop.js";

export const THRASHED_MODELS = ["thrash-a", "thrash-b"] as const;

async function ask(target: Target, model: string): Promise<[ok: boolean, detail: string]> {
  try {
    const body = JSON.stringify({ model, max_tokens: 8, messages: [{ role: "user", content: "Hi" }] });
    const response = await post(target, "/v1/chat/completions", body, { signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    if (response.status === 200) return [true, `${model}: 200`];
    if (isOverloaded(response.status)) {
      await sleep(1000 * Number(response.headers.get("retry-after") ?? 1));
      return [true, `${model}: ${response.status}, waited out`];
    }
    return [false, `${model}: ${response.status} ${text.slice(0, 160)}`];
  } catch (error) {
    return [false, `${model}: ${describeError(error)}`];
  }
}

export function modelThrashClient(ctx: ClientContext, maxRounds: number): Promise<void> {
  return runRounds(ctx, maxRounds, async (round) => {
    ctx.tally.begin();
    const [ok, detail] = await ask(ctx.target, THRASHED_MODELS[round % 2]!);
    ctx.tally.settle(ok ? "ok" : "unexpected", detail);
  });
}
