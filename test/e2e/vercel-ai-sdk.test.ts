// The Vercel AI SDK (`ai` with `@ai-sdk/openai`'s chat-completions model) pointed at LALS, on the fixture.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createOpenAI } from "@ai-sdk/openai";
import { generateObject, generateText, streamText, stepCountIs } from "ai";
import { z } from "zod";
import { weatherTool } from "./weather-tool.js";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let provider: ReturnType<typeof createOpenAI>;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "2", MODEL_N_CTX: "2048", MAX_TOKENS_LIMIT: "1024" } });
  provider = createOpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused" });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

test("generateText returns text, a finish reason and usage", async () => {
  const result = await generateText({ model: provider.chat(MODEL), prompt: "Hello", maxOutputTokens: 8, maxRetries: 0 });
  assert.ok(result.text.length > 0);
  assert.equal(result.finishReason, "length");
  assert.equal(result.usage.outputTokens, 8);
  assert.ok((result.usage.inputTokens ?? 0) > 0);
});

test("streamText streams the text it finally reports", async () => {
  const result = streamText({ model: provider.chat(MODEL), system: "Be brief.", prompt: "Stream", maxOutputTokens: 10, maxRetries: 0 });
  let streamed = "";
  for await (const delta of result.textStream) streamed += delta;
  assert.ok(streamed.length > 0);
  assert.equal(await result.text, streamed);
  assert.equal(await result.finishReason, "length");
});

test("generateObject with a zod schema returns an object that validates", async () => {
  const schema = z.object({
    city: z.enum(["Paris", "Rome", "Lisbon"]),
    sunny: z.boolean(),
    tags: z.array(z.enum(["warm", "dry"])).max(2),
  });
  const { object } = await generateObject({ model: provider.chat(MODEL), schema, prompt: "Weather as JSON", maxOutputTokens: 300, maxRetries: 0 });
  assert.deepEqual(schema.parse(object), object);
});

test("a tool the model is required to call runs, and its result comes back for the next step", async () => {
  let called: unknown;
  const result = await generateText({
    model: provider.chat(MODEL),
    prompt: "What is the weather in Rome?",
    tools: {
      weather: weatherTool((city) => { called = city; }),
    },
    toolChoice: "required",
    // The fixture never ends a turn by itself, so a forced call is kept to one (a real model closes its calls).
    providerOptions: { openai: { parallelToolCalls: false } },
    prepareStep: ({ stepNumber }) => (stepNumber === 0 ? {} : { toolChoice: "none" }),
    stopWhen: stepCountIs(2),
    maxOutputTokens: 100,
    maxRetries: 0,
  });
  assert.ok(called === "Paris" || called === "Rome", `tool ran with ${String(called)}`);
  assert.equal(result.steps.length, 2);
  assert.deepEqual(result.steps[0]?.toolResults[0]?.output, { city: called, forecast: "sunny" });
  assert.equal(result.steps[0]?.finishReason, "tool-calls");
  assert.ok(result.text.length > 0, "the second step answers after the tool result");
});
