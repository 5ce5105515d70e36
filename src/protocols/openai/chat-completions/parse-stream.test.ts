import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { ChatCompletionStreamParser } from "./parse-stream.js";

const chunk = (delta: object, finish: string | null = null, usage?: object): ChatCompletionChunk =>
  ({ id: "c", object: "chat.completion.chunk", created: 0, model: "m", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(usage === undefined ? {} : { usage }) }) as ChatCompletionChunk;

test("turns reasoning, text and tool-call deltas into ordered blocks, ending with the reported usage", () => {
  const parser = new ChatCompletionStreamParser();
  const events = [
    ...parser.feed(chunk({ role: "assistant", content: "" })),
    ...parser.feed(chunk({ reasoning_content: "hm" })),
    ...parser.feed(chunk({ content: "Hi" })),
    ...parser.feed(chunk({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "f", arguments: "" } }] })),
    ...parser.feed(chunk({ tool_calls: [{ index: 0, function: { arguments: "{\"a\":1}" } }] })),
    ...parser.feed(chunk({}, "tool_calls")),
    ...parser.feed({ ...chunk({}), choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, prompt_tokens_details: { cached_tokens: 3 } } } as ChatCompletionChunk),
    ...parser.finish(),
  ];
  assert.deepEqual(events, [
    { type: "start", inputTokens: 0, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "thinking" },
    { type: "thinking_delta", index: 0, text: "hm" },
    { type: "block_end", index: 0 },
    { type: "block_start", index: 1, kind: "text" },
    { type: "text_delta", index: 1, text: "Hi" },
    { type: "block_end", index: 1 },
    { type: "block_start", index: 2, kind: "tool_call", toolCallId: "call_1", name: "f" },
    { type: "tool_args_delta", index: 2, json: "{\"a\":1}" },
    { type: "block_end", index: 2 },
    { type: "end", stopReason: "tool_use", usage: { inputTokens: 9, cachedTokens: 3, outputTokens: 4 } },
  ]);
});
