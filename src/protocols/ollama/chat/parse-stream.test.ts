import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatEvent } from "../../../core/chat-event.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { TestClock, testContext } from "../test-clock.js";
import { ollamaChatClient } from "./client.js";
import { renderChatStream } from "./render-stream.js";

const at = "2025-07-07T20:43:37.688511Z";

test("Ollama's lines become canonical events; the final line ends them with its counts", () => {
  const parser = ollamaChatClient.parser();
  const events = [
    { model: "qwen3", created_at: at, message: { role: "assistant", content: "", thinking: "Let me" }, done: false },
    { model: "qwen3", created_at: at, message: { role: "assistant", content: "", thinking: " think" }, done: false },
    { model: "qwen3", created_at: at, message: { role: "assistant", content: "The" }, done: false },
    { model: "qwen3", created_at: at, message: { role: "assistant", content: " answer" }, done: false },
    { model: "qwen3", created_at: at, message: { role: "assistant", content: "", tool_calls: [{ id: "call_x1", function: { index: 0, name: "get_weather", arguments: { city: "Toronto" } } }] }, done: false },
    { model: "qwen3", created_at: at, message: { role: "assistant", content: "" }, done: true, done_reason: "stop", total_duration: 890771750, load_duration: 707634750, prompt_eval_count: 94, prompt_eval_duration: 91703208, eval_count: 11, eval_duration: 90282125 },
  ].flatMap((line) => parser.feed(line));
  assert.deepEqual([...events, ...parser.finish()], [
    { type: "start", inputTokens: 0, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "thinking" },
    { type: "thinking_delta", index: 0, text: "Let me" },
    { type: "thinking_delta", index: 0, text: " think" },
    { type: "block_end", index: 0 },
    { type: "block_start", index: 1, kind: "text" },
    { type: "text_delta", index: 1, text: "The" },
    { type: "text_delta", index: 1, text: " answer" },
    { type: "block_end", index: 1 },
    { type: "block_start", index: 2, kind: "tool_call", toolCallId: "call_x1", name: "get_weather" },
    { type: "tool_args_delta", index: 2, json: "{\"city\":\"Toronto\"}" },
    { type: "block_end", index: 2 },
    { type: "end", stopReason: "tool_use", usage: { inputTokens: 94, cachedTokens: 0, outputTokens: 11 } },
  ]);
});

test("done_reason length is max_tokens; an error line is an upstream error; a stream without its final line fails", () => {
  const parser = ollamaChatClient.parser();
  const end = parser.feed({ message: { role: "assistant", content: "" }, done: true, done_reason: "length", prompt_eval_count: 5, eval_count: 2 });
  assert.deepEqual(end.at(-1), { type: "end", stopReason: "max_tokens", usage: { inputTokens: 5, cachedTokens: 0, outputTokens: 2 } });
  assert.throws(() => ollamaChatClient.parser().feed({ error: "model 'x' not found" }), (e: unknown) => e instanceof GatewayError && e.kind === "upstream" && e.message === "Upstream: model 'x' not found");
  const cut = ollamaChatClient.parser();
  cut.feed({ message: { role: "assistant", content: "Hel" }, done: false });
  assert.throws(() => cut.finish(), (e: unknown) => e instanceof GatewayError && e.kind === "upstream");
});

test("the client speaks the wire the server renders: events survive a round trip through NDJSON", async () => {
  const sent: ChatEvent[] = [
    { type: "start", inputTokens: 7, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "text" },
    { type: "text_delta", index: 0, text: "Hi", logprobs: [{ token: "Hi", bytes: [72, 105], logprob: -0.1, top: [] }] },
    { type: "block_end", index: 0 },
    { type: "block_start", index: 1, kind: "tool_call", toolCallId: "call_7", name: "f" },
    { type: "tool_args_delta", index: 1, json: "{\"a\":[1,2]}" },
    { type: "block_end", index: 1 },
    { type: "end", stopReason: "tool_use", usage: { inputTokens: 7, cachedTokens: 0, outputTokens: 4 } },
  ];
  async function* source(): AsyncGenerator<ChatEvent> { yield* sent; }
  const parser = ollamaChatClient.parser();
  const received: ChatEvent[] = [];
  for await (const line of renderChatStream(source(), testContext(new TestClock(), 0))) received.push(...parser.feed(JSON.parse(line)));
  received.push(...parser.finish());
  // Ollama counts the prompt only on its last line, so the start cannot carry it.
  assert.deepEqual(received, [{ type: "start", inputTokens: 0, cachedTokens: 0 }, ...sent.slice(1)]);
  assert.deepEqual([ollamaChatClient.path, ollamaChatClient.framing, ollamaChatClient.healthPath], ["/chat", "ndjson", "/tags"]);
  assert.deepEqual(ollamaChatClient.headers("k"), { authorization: "Bearer k" });
  assert.deepEqual(ollamaChatClient.headers(undefined), {});
});
