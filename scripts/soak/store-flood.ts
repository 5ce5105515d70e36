// A client flooding the Responses store: stored responses with large inputs, one after another, far more than the
// store keeps. The store's entry and byte bounds must keep the server's memory bounded; each answer is a 200 (or
// "overloaded", waited out by the next round).
import { describeError, isOverloaded, MODEL, post, sleep, type Target } from "./http.js";
import { runRounds, type ClientContext } from "./loop.js";

/** A stored input of ~1.5 MB that the model never reads: an unsupported item, kept in the store as given. */
const BODY = JSON.stringify({
  model: MODEL,
  store: true,
  max_output_tokens: 1,
  input: [{ type: "web_search_call", id: "ws_flood", status: "completed", action: { query: "q".repeat(1_500_000) } }, { role: "user", content: "Hi" }],
});

async function storeOnce(target: Target): Promise<[ok: boolean, detail: string]> {
  try {
    const response = await post(target, "/v1/responses", BODY, { signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    if (response.status === 200) return [true, "stored"];
    if (isOverloaded(response.status)) {
      await sleep(1000 * Number(response.headers.get("retry-after") ?? 1));
      return [true, `${response.status}, waited out`];
    }
    return [false, `${response.status} ${text.slice(0, 160)}`];
  } catch (error) {
    return [false, describeError(error)];
  }
}

export function storeFloodClient(ctx: ClientContext, maxRounds: number): Promise<void> {
  return runRounds(ctx, maxRounds, async () => {
    ctx.tally.begin();
    const [ok, detail] = await storeOnce(ctx.target);
    ctx.tally.settle(ok ? "ok" : "unexpected", detail);
  });
}
