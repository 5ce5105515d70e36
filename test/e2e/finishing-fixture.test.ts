// The finishing fixture through both official SDKs: it replies FINISHING_REPLY and ends its turn, whatever the
// prompt and sampling, and a forced tool call ends after one call even with parallel calls allowed. With thinking on
// it thinks FINISHING_THOUGHT first, so each API's thinking path has a known truth too.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { FINISHING_REPLY, FINISHING_THOUGHT, FinishingReply } from "../../src/fixture/finishing-reply.js";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let openai: OpenAI;
let anthropic: Anthropic;

before(async () => {
  server = await startServer({ fixture: "finishing", env: { MODEL_PARALLEL: "2", MODEL_N_CTX: "4096" } });
  openai = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: server.baseUrl, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const SAMPLINGS = [{ temperature: 0 }, { temperature: 1, seed: 1 }, { temperature: 1, seed: 2 }, { temperature: 1, seed: 3 }];
const PROMPTS = ["What is the capital of France?", "Write a haiku about the sea.\nThen explain it, in detail."];

test("OpenAI chat: the known reply, finish_reason stop, streamed or not, at any temperature", async () => {
  for (const sampling of SAMPLINGS) {
    for (const prompt of PROMPTS) {
      const reply = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: prompt }], max_tokens: 200, ...sampling });
      assert.equal(reply.choices[0]?.message.content, FINISHING_REPLY, JSON.stringify(sampling));
      assert.equal(reply.choices[0]?.finish_reason, "stop");
      assert.ok(reply.usage!.completion_tokens < 20, `${reply.usage!.completion_tokens} tokens`);
    }
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: PROMPTS[0]! }], max_tokens: 200, stream: true, ...sampling });
    let text = "";
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(text, FINISHING_REPLY);
    assert.equal(finish, "stop");
  }
});

test("Anthropic messages: the known reply and end_turn, streamed or not, at any temperature", async () => {
  for (const { temperature } of SAMPLINGS) {
    // Not an object literal: the SDK's types leave temperature out, the API still takes it.
    const params = { model: MODEL, max_tokens: 200, temperature, system: "Be brief.", messages: [{ role: "user" as const, content: PROMPTS[1]! }] };
    const message = await anthropic.messages.create(params);
    assert.deepEqual(message.content.map((b) => (b.type === "text" ? b.text : b.type)), [FINISHING_REPLY]);
    assert.equal(message.stop_reason, "end_turn");
    const streamed = await anthropic.messages.stream({ model: MODEL, max_tokens: 200, temperature, messages: [{ role: "user", content: PROMPTS[0]! }] }).finalMessage();
    assert.deepEqual(streamed.content.map((b) => (b.type === "text" ? b.text : b.type)), [FINISHING_REPLY]);
    assert.equal(streamed.stop_reason, "end_turn");
  }
});

const weather = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" }, tags: { type: "array", items: { type: "string" } } }, required: ["city", "days", "tags"] },
};

test("a forced tool call with parallel calls allowed: exactly one call, then the turn ends", async () => {
  for (const sampling of SAMPLINGS) {
    const reply = await openai.chat.completions.create({
      model: MODEL, max_tokens: 300, ...sampling,
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [{ type: "function", function: weather }],
      tool_choice: "required",
    });
    const choice = reply.choices[0]!;
    assert.equal(choice.finish_reason, "tool_calls", JSON.stringify(choice));
    assert.equal(choice.message.tool_calls?.length, 1);
    const call = choice.message.tool_calls![0]!;
    assert.ok(call.type === "function");
    const args = JSON.parse(call.function.arguments) as { city: unknown; days: unknown; tags: unknown };
    assert.equal(typeof args.city, "string");
    assert.ok(Number.isInteger(args.days));
    assert.ok(Array.isArray(args.tags));
  }
  const forced = {
    model: MODEL, max_tokens: 300, temperature: 1,
    messages: [{ role: "user" as const, content: "Weather in Paris?" }],
    tools: [{ name: weather.name, description: weather.description, input_schema: weather.parameters as Anthropic.Tool.InputSchema }],
    tool_choice: { type: "tool" as const, name: "get_weather" },
  };
  const message = await anthropic.messages.create(forced);
  assert.equal(message.stop_reason, "tool_use");
  assert.equal(message.content.filter((b) => b.type === "tool_use").length, 1);
});

test("tools offered but not forced: the model answers in text and ends its turn", async () => {
  const reply = await openai.chat.completions.create({
    model: MODEL, max_tokens: 200, messages: [{ role: "user", content: "Hi" }], tools: [{ type: "function", function: weather }],
  });
  assert.equal(reply.choices[0]?.message.content, FINISHING_REPLY);
  assert.equal(reply.choices[0]?.finish_reason, "stop");
});

test("thinking on: the known thought as thinking, then the known reply as text, in every API, streamed or not", async () => {
  const thinking = { type: "enabled" as const, budget_tokens: 1024 };
  const params = { model: "claude-sonnet-4-6", max_tokens: 2048, thinking, messages: [{ role: "user" as const, content: PROMPTS[0]! }] };
  const blocks = (message: Anthropic.Message): string[] => message.content.map((b) => (b.type === "text" ? `text:${b.text}` : b.type === "thinking" ? `thinking:${b.thinking}` : b.type));
  const expected = [`thinking:${FINISHING_THOUGHT}`, `text:${FINISHING_REPLY}`];
  assert.deepEqual(blocks(await anthropic.messages.create(params)), expected);
  assert.deepEqual(blocks(await anthropic.messages.stream(params).finalMessage()), expected);

  const chat = await openai.chat.completions.create({ model: "gpt-5", reasoning_effort: "medium", messages: [{ role: "user", content: PROMPTS[1]! }] });
  const message = chat.choices[0]!.message as { content: string | null; reasoning_content?: string };
  assert.equal(message.content, FINISHING_REPLY);
  assert.equal(message.reasoning_content, FINISHING_THOUGHT);
  assert.equal(chat.usage?.completion_tokens_details?.reasoning_tokens, FinishingReply.thoughtPieces.length);

  const response = await openai.responses.create({ model: "gpt-5.1-codex", reasoning: { effort: "medium" }, input: PROMPTS[0]! });
  assert.equal(response.output_text, FINISHING_REPLY);
  const reasoning = response.output.find((item) => item.type === "reasoning");
  assert.deepEqual(reasoning?.content?.map((c) => c.text), [FINISHING_THOUGHT]);
  let streamedText = "";
  let streamedThought = "";
  for await (const event of await openai.responses.create({ model: "gpt-5.1-codex", reasoning: { effort: "high" }, input: PROMPTS[1]!, stream: true })) {
    if (event.type === "response.output_text.delta") streamedText += event.delta;
    if (event.type === "response.reasoning_text.delta") streamedThought += event.delta;
  }
  assert.deepEqual([streamedThought, streamedText], [FINISHING_THOUGHT, FINISHING_REPLY]);
});

test("thinking off: the reply alone, with no thought", async () => {
  const message = await anthropic.messages.create({ model: MODEL, max_tokens: 200, thinking: { type: "disabled" }, messages: [{ role: "user", content: "Hi" }] });
  assert.deepEqual(message.content.map((b) => b.type), ["text"]);
  const chat = await openai.chat.completions.create({ model: MODEL, reasoning_effort: "none", messages: [{ role: "user", content: "Hi" }] });
  const reply = chat.choices[0]!.message as { content: string | null; reasoning_content?: string };
  assert.deepEqual([reply.content, reply.reasoning_content], [FINISHING_REPLY, undefined]);
});
