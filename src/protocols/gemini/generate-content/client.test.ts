import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatEvent } from "../../../core/chat-event.js";
import { emptyChatRequest, type ChatRequest } from "../../../core/chat-request.js";
import { collect } from "../../../core/collect.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { validate } from "../../validate.js";
import { generateContentClient } from "./client.js";
import { parseGenerateContentRequest } from "./parse-request.js";
import { renderGenerateContentStream } from "./render-stream.js";
import { generateContentRequest } from "./schema.js";

function request(extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    ...emptyChatRequest("local"),
    system: [{ type: "text", text: "Be brief." }],
    messages: [
      { role: "user", content: [{ type: "text", text: "weather?" }, { type: "image", url: "data:image/png;base64,AAAA" }] },
      { role: "assistant", content: [{ type: "thinking", text: "call it" }, { type: "tool_call", id: "t1", name: "get_weather", arguments: { city: "Paris" } }] },
      { role: "tool", content: [{ type: "tool_result", toolCallId: "t1", content: [{ type: "text", text: "sunny" }] }] },
      { role: "user", content: [{ type: "text", text: "and tomorrow?" }] },
    ],
    tools: [{ name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
    toolChoice: { type: "tool", name: "get_weather" },
    sampling: { stop: ["END"], maxTokens: 64, temperature: 0.2, topP: 0.9, topK: 20, seed: 3 },
    responseFormat: { type: "json_schema", name: "o", schema: { type: "object" } },
    thinking: { budgetTokens: 512 },
    ...extra,
  };
}

test("the path names the model and asks for SSE; the key travels as x-goog-api-key", () => {
  assert.equal(typeof generateContentClient.path === "function" && generateContentClient.path("gemini-2.5-flash"), "/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
  assert.deepEqual(generateContentClient.headers("k"), { "x-goog-api-key": "k" });
  assert.deepEqual(generateContentClient.headers(undefined), {});
});

test("a canonical request becomes a GenerateContentRequest: tool results in user turns, calls and responses matched by id and name", () => {
  assert.deepEqual(generateContentClient.body(request(), "gemini-2.5-flash"), {
    contents: [
      { role: "user", parts: [{ text: "weather?" }, { inlineData: { mimeType: "image/png", data: "AAAA" } }] },
      { role: "model", parts: [{ functionCall: { id: "t1", name: "get_weather", args: { city: "Paris" } } }] },
      { role: "user", parts: [{ functionResponse: { id: "t1", name: "get_weather", response: { output: "sunny" } } }, { text: "and tomorrow?" }] },
    ],
    systemInstruction: { role: "user", parts: [{ text: "Be brief." }] },
    tools: [{ functionDeclarations: [{ name: "get_weather", description: "Weather", parametersJsonSchema: { type: "object", properties: { city: { type: "string" } } } }] }],
    toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] } },
    generationConfig: {
      maxOutputTokens: 64, temperature: 0.2, topP: 0.9, topK: 20, seed: 3, stopSequences: ["END"],
      responseMimeType: "application/json", responseJsonSchema: { type: "object" },
      thinkingConfig: { includeThoughts: true, thinkingBudget: 512 },
    },
  });
});

test("thinking off is a budget of 0; tool choices map to Gemini's modes; logit_bias and raw prompts are refused", () => {
  const config = (extra: Partial<ChatRequest>) => generateContentClient.body(request(extra), "m") as { generationConfig: { thinkingConfig: unknown }; toolConfig?: unknown };
  assert.deepEqual(config({ thinking: { enabled: false } }).generationConfig.thinkingConfig, { thinkingBudget: 0 });
  assert.deepEqual(config({ thinking: undefined }).generationConfig.thinkingConfig, { includeThoughts: true });
  assert.deepEqual(config({ toolChoice: { type: "required" } }).toolConfig, { functionCallingConfig: { mode: "ANY" } });
  assert.deepEqual(config({ toolChoice: { type: "none" } }).toolConfig, { functionCallingConfig: { mode: "NONE" } });
  assert.deepEqual(config({ toolChoice: { type: "auto" } }).toolConfig, { functionCallingConfig: { mode: "AUTO" } });
  assert.throws(() => generateContentClient.body(request({ sampling: { stop: [], logitBias: { 1: 5 } } }), "m"), { kind: "invalid_request", param: "logit_bias" });
  assert.throws(() => generateContentClient.body(request({ prompt: "raw" }), "m"), { param: "prompt" });
});

test("what the client builds, this server's own parser reads back as the same conversation", () => {
  const original = request({ toolChoice: { type: "auto" }, responseFormat: { type: "text" }, thinking: undefined });
  const body = validate(generateContentRequest, JSON.parse(JSON.stringify(generateContentClient.body(original, "m"))));
  const back = parseGenerateContentRequest(body, "local", { maxTokensLimit: 1000 }).request;
  assert.deepEqual(back.system, original.system);
  assert.deepEqual(back.tools, original.tools);
  assert.deepEqual(back.sampling, original.sampling);
  assert.deepEqual(back.messages, [
    { role: "user", content: [{ type: "text", text: "weather?" }, { type: "image", mediaType: "image/png", data: "AAAA" }] },
    // The thinking text is not sent upstream: Gemini reads earlier thoughts only through its own signatures.
    { role: "assistant", content: [{ type: "tool_call", id: "t1", name: "get_weather", arguments: { city: "Paris" } }] },
    { role: "user", content: [{ type: "tool_result", toolCallId: "t1", content: [{ type: "text", text: "sunny" }] }, { type: "text", text: "and tomorrow?" }] },
  ]);
});

function parse(chunks: unknown[]): ChatEvent[] {
  const parser = generateContentClient.parser();
  return [...chunks.flatMap((chunk) => parser.feed(chunk)), ...parser.finish()];
}

test("Gemini chunks become canonical events: thoughts, text deltas, a whole function call, usage with thoughts counted as output", () => {
  const chunk = (parts: unknown[], extra: Record<string, unknown> = {}) => ({ candidates: [{ content: { role: "model", parts }, index: 0, ...extra }], usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 }, modelVersion: "gemini-2.5-flash" });
  const events = parse([
    chunk([{ text: "Thinking…", thought: true }]),
    chunk([{ text: "It is" }]),
    chunk([{ text: " sunny." }, { functionCall: { name: "log", args: { level: 1 } } }]),
    { ...chunk([{ text: "" }], { finishReason: "STOP" }), usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 6, thoughtsTokenCount: 3, cachedContentTokenCount: 2, totalTokenCount: 18 } },
  ]);
  const callId = (events.find((e) => e.type === "block_start" && e.kind === "tool_call") as { toolCallId: string }).toolCallId;
  assert.ok(callId.length > 0, "a call without an id gets one");
  assert.deepEqual(events, [
    { type: "start", inputTokens: 9, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "thinking" },
    { type: "thinking_delta", index: 0, text: "Thinking…" },
    { type: "block_end", index: 0 },
    { type: "block_start", index: 1, kind: "text" },
    { type: "text_delta", index: 1, text: "It is" },
    { type: "text_delta", index: 1, text: " sunny." },
    { type: "block_end", index: 1 },
    { type: "block_start", index: 2, kind: "tool_call", toolCallId: callId, name: "log" },
    { type: "tool_args_delta", index: 2, json: "{\"level\":1}" },
    { type: "block_end", index: 2 },
    { type: "end", stopReason: "tool_use", usage: { inputTokens: 9, cachedTokens: 2, outputTokens: 9, thinkingTokens: 3 } },
  ]);
});

test("MAX_TOKENS stops with max_tokens; an error object or a stream without finishReason is an error", () => {
  const end = parse([{ candidates: [{ content: { role: "model", parts: [{ text: "a" }] }, finishReason: "MAX_TOKENS", index: 0 }] }]).at(-1);
  assert.deepEqual(end, { type: "end", stopReason: "max_tokens", usage: { inputTokens: 0, cachedTokens: 0, outputTokens: 0 } });
  assert.throws(() => parse([{ error: { code: 429, message: "quota", status: "RESOURCE_EXHAUSTED" } }]), (e: unknown) => e instanceof GatewayError && e.kind === "rate_limit" && e.message === "Upstream: quota");
  assert.throws(() => parse([{ candidates: [{ content: { role: "model", parts: [{ text: "a" }] }, index: 0 }] }]), { kind: "upstream" });
});

test("round trip: this server's own SSE stream, read by the client half, folds to the same result", async () => {
  const events: ChatEvent[] = [
    { type: "start", inputTokens: 7, cachedTokens: 0 },
    { type: "block_start", index: 0, kind: "thinking" },
    { type: "thinking_delta", index: 0, text: "hm" },
    { type: "block_end", index: 0 },
    { type: "block_start", index: 1, kind: "text" },
    { type: "text_delta", index: 1, text: "Hello" },
    { type: "text_delta", index: 1, text: " world" },
    { type: "block_end", index: 1 },
    { type: "block_start", index: 2, kind: "tool_call", toolCallId: "c9", name: "f" },
    { type: "tool_args_delta", index: 2, json: "{\"x\":[1,2]}" },
    { type: "block_end", index: 2 },
    { type: "end", stopReason: "tool_use", usage: { inputTokens: 7, cachedTokens: 0, outputTokens: 5, thinkingTokens: 1 } },
  ];
  async function* source() { for (const value of events) yield { index: 0, value }; }
  let sse = "";
  for await (const frame of renderGenerateContentStream(source(), { model: "m", responseId: "r", includeThoughts: true, logprobs: false, framing: "sse", candidates: 1 })) sse += frame;
  const chunks = sse.split("\r\n\r\n").filter(Boolean).map((f) => JSON.parse(f.slice("data: ".length)) as unknown);
  async function* back() { yield* parse(chunks); }
  const result = await collect(back());
  assert.deepEqual(result.blocks, [
    { kind: "thinking", text: "hm" },
    { kind: "text", text: "Hello world" },
    { kind: "tool_call", id: "c9", name: "f", arguments: "{\"x\":[1,2]}" },
  ]);
  assert.equal(result.stopReason, "tool_use");
  assert.deepEqual(result.usage, { inputTokens: 7, cachedTokens: 0, outputTokens: 5, thinkingTokens: 1 });
});
