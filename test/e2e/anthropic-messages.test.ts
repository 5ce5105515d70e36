// The official @anthropic-ai/sdk (and raw HTTP) against the real server on the fixture model.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let client: Anthropic;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "2", MAX_QUEUE: "16", MAX_TOKENS_LIMIT: "512", MODEL_N_CTX: "1024" } });
  client = new Anthropic({ baseURL: server.baseUrl, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  assert.equal(await server.stop(), 0, "server exits cleanly on SIGTERM");
});

const user = (text: string): Anthropic.MessageParam[] => [{ role: "user", content: text }];
const textOf = (message: Anthropic.Message): string => message.content.map((b) => (b.type === "text" ? b.text : "")).join("");
const inputTotal = (usage: Anthropic.Usage): number => usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0);

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Parses an SSE body into its frames, checking each has exactly an event line and a data line. */
function sseFrames(body: string): Array<{ event: string; data: Record<string, unknown> }> {
  return body.split("\n\n").filter((f) => f !== "").map((frame) => {
    const lines = frame.split("\n");
    assert.equal(lines.length, 2, `frame with an event and a data line: ${frame}`);
    assert.match(lines[0]!, /^event: /);
    assert.match(lines[1]!, /^data: /);
    return { event: lines[0]!.slice(7), data: JSON.parse(lines[1]!.slice(6)) as Record<string, unknown> };
  });
}

describe("messages.create", () => {
  test("returns a message with a text block, the model, and usage", async () => {
    const message = await client.messages.create({ model: MODEL, max_tokens: 8, messages: user("Hello") });
    assert.match(message.id, /^msg_/);
    assert.equal(message.type, "message");
    assert.equal(message.role, "assistant");
    assert.equal(message.model, MODEL);
    assert.equal(message.content.length, 1);
    assert.equal(message.content[0]?.type, "text");
    assert.ok(textOf(message).length > 0);
    assert.equal(message.stop_reason, "max_tokens");
    assert.equal(message.stop_sequence, null);
    assert.equal(message.usage.output_tokens, 8);
    assert.ok(message.usage.input_tokens > 0);
    assert.equal(message.usage.cache_creation_input_tokens, 0);
    assert.equal(typeof message.usage.cache_read_input_tokens, "number");
  });

  test("accepts system as a string and as text blocks, and multi-turn history", async () => {
    const asString = await client.messages.create({ model: MODEL, max_tokens: 2, system: "Be brief.", messages: user("Hi") });
    const asBlocks = await client.messages.create({
      model: MODEL, max_tokens: 2, system: [{ type: "text", text: "Be brief." }], messages: user("Hi"),
    });
    assert.equal(inputTotal(asString.usage), inputTotal(asBlocks.usage), "same prompt either way");
    const multi = await client.messages.create({
      model: MODEL, max_tokens: 2,
      messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello." }, { role: "user", content: [{ type: "text", text: "Again" }] }],
    });
    assert.ok(inputTotal(multi.usage) > inputTotal(asString.usage) - 5);
  });

  test("a conversation that extends a previous one reports the reused prefix as cache reads, not twice", async () => {
    const system = "You are a helpful assistant who answers every question about the weather in great detail.";
    const first = await client.messages.create({ model: MODEL, max_tokens: 4, system, messages: user("Is it raining?") });
    const messages: Anthropic.MessageParam[] = [
      ...user("Is it raining?"), { role: "assistant", content: textOf(first) }, { role: "user", content: "And tomorrow?" },
    ];
    const second = await client.messages.create({ model: MODEL, max_tokens: 4, system, messages });
    const counted = await client.messages.countTokens({ model: MODEL, system, messages });
    assert.ok((second.usage.cache_read_input_tokens ?? 0) > 0, "the shared system prompt and first turn are reused");
    assert.equal(inputTotal(second.usage), counted.input_tokens);
  });

  test("a Claude Code-style system prompt whose billing line changes every request still reuses its prefix", async () => {
    const instructions = "You are Claude Code, a careful assistant. ".repeat(20);
    const ask = (cch: string, question: string) => client.messages.create({
      model: MODEL, max_tokens: 2,
      system: [{ type: "text", text: `x-anthropic-billing-header: cc_version=2.1.37.0d9; cc_entrypoint=cli; cch=${cch};` }, { type: "text", text: instructions }],
      messages: user(question),
    });
    const first = await ask("fa690", "First question?");
    const second = await ask("0b1c2", "Second question?");
    assert.ok((second.usage.cache_read_input_tokens ?? 0) > inputTotal(first.usage) / 2,
      `reused ${second.usage.cache_read_input_tokens} of ${inputTotal(second.usage)} prompt tokens`);
  });

  test("cuts at a stop sequence and reports which one matched", async () => {
    const greedy = { model: MODEL, max_tokens: 24, temperature: 0, messages: user("Stop test") };
    const full = textOf(await client.messages.create(greedy));
    assert.ok(full.length >= 8, `greedy output long enough: ${JSON.stringify(full)}`);
    const stop = full.slice(4, 6);
    const cut = await client.messages.create({ ...greedy, stop_sequences: ["\u0001never", stop] });
    assert.equal(textOf(cut), full.slice(0, full.indexOf(stop)));
    assert.equal(cut.stop_reason, "stop_sequence");
    assert.equal(cut.stop_sequence, stop);
  });

  test("a final assistant turn is continued (prefill)", async () => {
    const message = await client.messages.create({
      model: MODEL, max_tokens: 3, messages: [{ role: "user", content: "Pick" }, { role: "assistant", content: "The answer is (" }],
    });
    assert.equal(message.stop_reason, "max_tokens");
    assert.ok(textOf(message).length > 0);
  });

  test("output_config.format returns JSON text that validates against the schema", async () => {
    const schema = { type: "object", properties: { mood: { type: "string", enum: ["calm", "busy"] }, ok: { type: "boolean" } }, required: ["mood", "ok"], additionalProperties: false };
    const message = await client.messages.create({ model: MODEL, max_tokens: 200, messages: user("JSON"), output_config: { format: { type: "json_schema", schema } } });
    assert.equal(message.stop_reason, "end_turn");
    const value = JSON.parse(textOf(message)) as { mood: string; ok: boolean };
    assert.ok(["calm", "busy"].includes(value.mood) && typeof value.ok === "boolean");
  });

  test("carries the request id header the SDK reads", async () => {
    const { response, request_id } = await client.messages.create({ model: MODEL, max_tokens: 1, messages: user("id") }).withResponse();
    assert.ok(typeof request_id === "string" && request_id.length > 0);
    assert.equal(response.headers.get("request-id"), request_id);
  });
});

describe("streaming", () => {
  test("messages.stream() yields text whose concatenation is finalMessage()'s text", async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 10, messages: user("Stream") });
    let streamed = "";
    stream.on("text", (delta) => { streamed += delta; });
    const final = await stream.finalMessage();
    assert.ok(streamed.length > 0);
    assert.equal(textOf(final), streamed);
    assert.equal(final.stop_reason, "max_tokens");
    assert.equal(final.usage.output_tokens, 10);
    assert.ok(final.usage.input_tokens > 0);
  });

  test("streamed text equals the non-streamed text for the same greedy request", async () => {
    const request = { model: MODEL, max_tokens: 10, temperature: 0, messages: user("Same") };
    const whole = textOf(await client.messages.create(request));
    const streamed = textOf(await client.messages.stream(request).finalMessage());
    assert.equal(streamed, whole);
  });

  test("raw SSE follows the API's event order frame by frame, each event named after its type", async () => {
    const response = await post("/v1/messages", { model: MODEL, max_tokens: 5, stream: true, messages: user("raw") });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const frames = sseFrames(await response.text());
    for (const { event, data } of frames) assert.equal(event, data.type);
    const names = frames.map((f) => f.event);
    assert.deepEqual(names.slice(0, 3), ["message_start", "ping", "content_block_start"]);
    assert.deepEqual(names.slice(-3), ["content_block_stop", "message_delta", "message_stop"]);
    assert.ok(names.slice(3, -3).every((n) => n === "content_block_delta"));

    const start = frames[0]!.data.message as Anthropic.Message;
    assert.deepEqual([start.content, start.stop_reason, start.usage.output_tokens], [[], null, 0]);
    assert.ok(start.usage.input_tokens > 0);
    assert.deepEqual(frames[2]!.data.content_block, { type: "text", text: "", citations: null });
    const delta = frames.at(-2)!.data as unknown as Anthropic.MessageDeltaEvent;
    assert.equal(delta.delta.stop_reason, "max_tokens");
    assert.equal(delta.usage.output_tokens, 5);
  });

  test("a streaming request that fails validation answers with a status, not a broken stream", async () => {
    await assert.rejects(client.messages.create({ model: "nope", max_tokens: 2, stream: true, messages: user("x") }), Anthropic.NotFoundError);
  });
});

describe("count_tokens", () => {
  test("equals the input tokens /v1/messages reports for the same request", async () => {
    const requests: Anthropic.MessageCountTokensParams[] = [
      { model: MODEL, messages: user("Count me") },
      { model: MODEL, system: "System text.", messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }] },
      { model: MODEL, thinking: { type: "disabled" }, messages: user("No thinking") },
    ];
    for (const request of requests) {
      const counted = await client.messages.countTokens(request);
      const message = await client.messages.create({ ...request, max_tokens: 1 } as Anthropic.MessageCreateParamsNonStreaming);
      assert.equal(counted.input_tokens, inputTotal(message.usage), JSON.stringify(request));
    }
  });

  test("refuses what /v1/messages would refuse", async () => {
    await assert.rejects(client.messages.countTokens({ model: "nope", messages: user("x") }), Anthropic.NotFoundError);
    await assert.rejects(client.messages.countTokens({ model: MODEL, messages: [] }), Anthropic.BadRequestError);
  });
});

describe("errors", () => {
  const expectError = (status: number, type: string) => (error: unknown): boolean => {
    assert.ok(error instanceof Anthropic.APIError, String(error));
    assert.equal(error.status, status);
    const body = error.error as { type: string; error: { type: string; message: string } };
    assert.equal(body.type, "error");
    assert.equal(body.error.type, type);
    assert.ok(body.error.message.length > 0);
    return true;
  };

  test("missing max_tokens, empty messages and wrong types are 400 invalid_request_error", async () => {
    const bad = [
      { model: MODEL, messages: user("x") },
      { model: MODEL, max_tokens: 4, messages: [] },
      { model: MODEL, max_tokens: "four", messages: user("x") },
      { model: MODEL, max_tokens: 4, messages: [{ role: "user", content: 42 }] },
      { model: MODEL, max_tokens: 4, temperature: 3, messages: user("x") },
    ];
    for (const body of bad) {
      await assert.rejects(client.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming), expectError(400, "invalid_request_error"));
    }
    await assert.rejects(client.messages.create({ model: MODEL, messages: user("x") } as Anthropic.MessageCreateParamsNonStreaming), (error: unknown) => {
      assert.ok(error instanceof Anthropic.BadRequestError);
      assert.match(error.message, /max_tokens: Field required/);
      return true;
    });
  });

  test("an unknown model is 404 not_found_error", async () => {
    await assert.rejects(client.messages.create({ model: "nope", max_tokens: 2, messages: user("x") }), expectError(404, "not_found_error"));
  });

  test("image blocks are refused, not dropped", async () => {
    const image: Anthropic.ImageBlockParam = { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } };
    await assert.rejects(
      client.messages.create({ model: MODEL, max_tokens: 2, messages: [{ role: "user", content: [{ type: "text", text: "what is this?" }, image] }] }),
      (error: unknown) => expectError(400, "invalid_request_error")(error) && /image/i.test((error as Error).message),
    );
  });

  test("invalid JSON answers in Anthropic's shape, with the request id", async () => {
    const badJson = await post("/v1/messages", "{bad");
    assert.equal(badJson.status, 400);
    const body = (await badJson.json()) as { type: string; error: { type: string }; request_id: string };
    assert.deepEqual([body.type, body.error.type], ["error", "invalid_request_error"]);
    assert.equal(body.request_id, badJson.headers.get("request-id"));

  });

  test("the server still answers after all of the above", async () => {
    const message = await client.messages.create({ model: MODEL, max_tokens: 2, messages: user("still there?") });
    assert.equal(message.stop_reason, "max_tokens");
  });
});

describe("legacy /v1/complete", () => {
  const prompt = "\n\nHuman: Tell me a story\n\nAssistant:";

  test("answers a Human/Assistant prompt with a completion", async () => {
    const response = await post("/v1/complete", { model: MODEL, prompt, max_tokens_to_sample: 6 });
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.type, "completion");
    assert.match(String(body.id), /^compl_/);
    assert.equal(body.model, MODEL);
    assert.equal(body.stop_reason, "max_tokens");
    assert.ok(String(body.completion).length > 0);
  });

  test("streams completion events ending with the stop reason", async () => {
    const response = await post("/v1/complete", { model: MODEL, prompt, max_tokens_to_sample: 4, stream: true });
    const frames = sseFrames(await response.text());
    for (const { event, data } of frames) assert.equal(event, data.type);
    const completions = frames.filter((f) => f.event === "completion");
    assert.ok(frames.some((f) => f.event === "ping"));
    assert.equal(completions.at(-1)?.data.stop_reason, "max_tokens");
    assert.ok(completions.slice(0, -1).every((f) => f.data.stop_reason === null));
    const streamed = completions.map((f) => String(f.data.completion)).join("");
    assert.ok(streamed.length > 0);
  });

  test("a prompt without the Human/Assistant turns is a 400 in Anthropic's shape", async () => {
    const response = await post("/v1/complete", { model: MODEL, prompt: "Hello", max_tokens_to_sample: 4 });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, "invalid_request_error");
    assert.match(body.error.message, /Human/);
  });
});

describe("models", () => {
  test("the SDK lists and retrieves models in Anthropic's shape", async () => {
    const page = await client.models.list();
    assert.deepEqual(page.data.map((m) => m.id), [MODEL, "claude-*", "gpt-*", "chatgpt-*", "o<digit>*", "codex-*", "gemini-*"]);
    assert.equal(page.data[0]?.type, "model");
    assert.ok(!Number.isNaN(Date.parse(page.data[0]?.created_at ?? "")));
    const model = await client.models.retrieve(MODEL);
    assert.equal(model.id, MODEL);
    await assert.rejects(client.models.retrieve("nope"), expectNotFound);
  });

  test("without Anthropic headers the same path answers in OpenAI's shape", async () => {
    const list = (await (await fetch(`${server.baseUrl}/v1/models`)).json()) as { object: string; data: Array<{ object: string }> };
    assert.equal(list.object, "list");
    assert.equal(list.data[0]?.object, "model");
    const raw = (await (await fetch(`${server.baseUrl}/v1/models`, { headers: { "anthropic-version": "2023-06-01" } })).json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(raw).sort(), ["data", "first_id", "has_more", "last_id"]);
  });
});

function expectNotFound(error: unknown): boolean {
  assert.ok(error instanceof Anthropic.NotFoundError);
  assert.equal((error.error as { error: { type: string } }).error.type, "not_found_error");
  return true;
}
