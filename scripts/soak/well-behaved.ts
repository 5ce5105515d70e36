// Well-behaved clients: every protocol and endpoint, streamed and not, with small max_tokens; each request must end
// well. Rule: a request answered "overloaded" (429, 503 or 529) is retried after its retry-after (1 s if absent, at
// most 5 s) and fails only if no attempt has succeeded 30 s after the first; any other non-200, a connection error,
// a body or stream that isn't well-formed and complete, or an attempt taking over 60 s fails it at once.
import { describeError, isOverloaded, MODEL, post, randomInt, sleep, sseFrames, type SseFrame, type Target } from "./http.js";
import { runRounds, type ClientContext } from "./loop.js";

const RETRY_WINDOW_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 60_000;

type Json = Record<string, unknown>;

interface Exchange {
  name: string;
  path: string;
  body(maxTokens: number): Json;
  /** Why a 200 answer is not acceptable, or undefined when it is. */
  check(response: Response): Promise<string | undefined>;
}

const user = (text: string) => [{ role: "user", content: text }];

async function jsonBody(response: Response): Promise<Json> {
  return (await response.json()) as Json;
}

async function frames(response: Response): Promise<SseFrame[]> {
  if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) throw new Error(`content-type ${response.headers.get("content-type")}`);
  const all: SseFrame[] = [];
  for await (const frame of sseFrames(response.body!)) all.push(frame);
  return all;
}

/** OpenAI chat and legacy completion streams: JSON chunks of one object type, a finish_reason, then `[DONE]`. */
async function checkOpenAiStream(response: Response, object: string): Promise<string | undefined> {
  const all = await frames(response);
  if (all.at(-1)?.data !== "[DONE]") return `stream did not end with [DONE] (last: ${all.at(-1)?.data.slice(0, 80)})`;
  let finished = false;
  for (const frame of all.slice(0, -1)) {
    const chunk = JSON.parse(frame.data) as { object?: string; choices?: Array<{ finish_reason?: string | null }>; error?: unknown };
    if (chunk.error !== undefined || chunk.object !== object) return `unexpected chunk ${frame.data.slice(0, 120)}`;
    if (chunk.choices?.some((c) => c.finish_reason === "stop" || c.finish_reason === "length")) finished = true;
  }
  return finished ? undefined : "no finish_reason in the stream";
}

const EXCHANGES: Exchange[] = [
  {
    name: "chat",
    path: "/v1/chat/completions",
    body: (max) => ({ model: MODEL, messages: user("Tell me about lighthouses."), max_tokens: max }),
    async check(response) {
      const body = await jsonBody(response) as { object?: string; choices?: Array<{ message?: { role?: string; content?: unknown }; finish_reason?: string }> };
      const choice = body.choices?.[0];
      if (body.object !== "chat.completion" || choice?.message?.role !== "assistant" || !["stop", "length"].includes(choice.finish_reason ?? "")) return `bad chat.completion ${JSON.stringify(body).slice(0, 160)}`;
      return undefined;
    },
  },
  {
    name: "chat-stream",
    path: "/v1/chat/completions",
    body: (max) => ({ model: MODEL, messages: user("Stream a story."), max_tokens: max, stream: true, stream_options: { include_usage: true } }),
    check: (response) => checkOpenAiStream(response, "chat.completion.chunk"),
  },
  {
    name: "completions",
    path: "/v1/completions",
    body: (max) => ({ model: MODEL, prompt: "Once upon a time", max_tokens: max }),
    async check(response) {
      const body = await jsonBody(response) as { object?: string; choices?: Array<{ text?: unknown }> };
      return body.object === "text_completion" && typeof body.choices?.[0]?.text === "string" ? undefined : `bad text_completion ${JSON.stringify(body).slice(0, 160)}`;
    },
  },
  {
    name: "completions-stream",
    path: "/v1/completions",
    body: (max) => ({ model: MODEL, prompt: "Once upon a time", max_tokens: max, stream: true }),
    check: (response) => checkOpenAiStream(response, "text_completion"),
  },
  {
    name: "messages",
    path: "/v1/messages",
    body: (max) => ({ model: MODEL, max_tokens: max, messages: user("Say something.") }),
    async check(response) {
      const body = await jsonBody(response) as { type?: string; role?: string; content?: unknown; stop_reason?: unknown };
      return body.type === "message" && body.role === "assistant" && Array.isArray(body.content) && typeof body.stop_reason === "string" ? undefined : `bad message ${JSON.stringify(body).slice(0, 160)}`;
    },
  },
  {
    name: "messages-stream",
    path: "/v1/messages",
    body: (max) => ({ model: MODEL, max_tokens: max, stream: true, messages: user("Stream something.") }),
    async check(response) {
      const events = (await frames(response)).map((f) => f.event);
      if (events[0] !== "message_start" || events.at(-1) !== "message_stop") return `events ran ${events.slice(0, 3).join(",")}…${events.slice(-3).join(",")}`;
      if (events.includes("error")) return "an error event in the stream";
      return events.includes("message_delta") ? undefined : "no message_delta";
    },
  },
  {
    name: "responses",
    path: "/v1/responses",
    body: (max) => ({ model: MODEL, input: "Describe the sea.", max_output_tokens: max, store: Math.random() < 0.5 }),
    async check(response) {
      const body = await jsonBody(response) as { object?: string; status?: string; output?: unknown };
      return body.object === "response" && ["completed", "incomplete"].includes(body.status ?? "") && Array.isArray(body.output) ? undefined : `bad response ${JSON.stringify(body).slice(0, 160)}`;
    },
  },
  {
    name: "responses-stream",
    path: "/v1/responses",
    body: (max) => ({ model: MODEL, input: "Stream about the sea.", max_output_tokens: max, stream: true }),
    async check(response) {
      const types = (await frames(response)).map((f) => (JSON.parse(f.data) as { type?: string }).type);
      if (types[0] !== "response.created") return `first event ${types[0]}`;
      if (types.some((t) => t === "response.failed" || t === "error")) return "a failure event in the stream";
      return types.at(-1) === "response.completed" || types.at(-1) === "response.incomplete" ? undefined : `last event ${types.at(-1)}`;
    },
  },
];

interface Attempt {
  status: number;
  retryAfterS?: number;
  failure?: string;
}

async function attempt(target: Target, exchange: Exchange): Promise<Attempt> {
  try {
    const response = await post(target, exchange.path, JSON.stringify(exchange.body(randomInt(8, 32))), { signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
    if (response.status === 200) {
      const failure = await exchange.check(response);
      return failure === undefined ? { status: 200 } : { status: 200, failure };
    }
    const text = await response.text();
    const retryAfterS = Number(response.headers.get("retry-after") ?? "1");
    return isOverloaded(response.status)
      ? { status: response.status, retryAfterS: Number.isFinite(retryAfterS) ? retryAfterS : 1 }
      : { status: response.status, failure: `${response.status} ${text.slice(0, 160)}` };
  } catch (error) {
    return { status: 0, failure: describeError(error) };
  }
}

/** One well-behaved client: cycles through every exchange; `index` staggers where each client starts. */
export function wellBehavedClient(ctx: ClientContext, index: number, maxRounds: number): Promise<void> {
  return runRounds(ctx, maxRounds, async (round) => {
    const exchange = EXCHANGES[(round + index * 3) % EXCHANGES.length]!;
    ctx.tally.begin();
    const started = Date.now();
    let overloads = 0;
    for (;;) {
      const result = await attempt(ctx.target, exchange);
      if (result.failure !== undefined) return ctx.tally.settle("unexpected", `${exchange.name}: ${result.failure}`);
      if (result.status === 200) return ctx.tally.settle("ok", overloads === 0 ? exchange.name : `${exchange.name} after ${overloads} overloaded`);
      overloads++;
      ctx.tally.retries++;
      const waitMs = Math.min(5, Math.max(0, result.retryAfterS ?? 1)) * 1000;
      if (Date.now() + waitMs - started > RETRY_WINDOW_MS) return ctx.tally.settle("unexpected", `${exchange.name}: still overloaded (${result.status}) after ${RETRY_WINDOW_MS / 1000} s`);
      await sleep(waitMs);
    }
  });
}
