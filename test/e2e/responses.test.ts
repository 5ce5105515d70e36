// The Responses API through the official openai SDK and the Vercel AI SDK's default (Responses) model, on the
// finishing fixture: every reply is FINISHING_REPLY and ends its turn, so each answer has a known truth.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, stepCountIs, streamText, type ModelMessage } from "ai";
import OpenAI from "openai";
import { zodTextFormat } from "openai/helpers/zod";
import type { FunctionTool, Response, ResponseStreamEvent } from "openai/resources/responses/responses";
import { z } from "zod";
import { FINISHING_REPLY } from "../../src/fixture/finishing-reply.js";
import { weatherTool } from "./weather-tool.js";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let client: OpenAI;

before(async () => {
  server = await startServer({ fixture: "finishing", env: { MODEL_PARALLEL: "2", MODEL_N_CTX: "4096" } });
  client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const weather: FunctionTool = {
  type: "function",
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } }, required: ["city", "days"], additionalProperties: false },
  strict: false,
};

/** A response without what differs between two runs of the same request: ids, times, and the share of the prompt a slot already held. */
function comparable(response: Response): unknown {
  const volatile = new Set(["id", "created_at", "completed_at", "cached_tokens", "output_parsed", "parsed", "parsed_arguments"]);
  return JSON.parse(JSON.stringify(response, (key, value: unknown) => (volatile.has(key) ? undefined : value)));
}

function assertFinishingMessage(response: Response): void {
  assert.equal(response.status, "completed", JSON.stringify(response));
  assert.equal(response.output.length, 1, JSON.stringify(response.output));
  const [item] = response.output;
  assert.ok(item?.type === "message");
  assert.match(item.id, /^msg_/);
  assert.equal(item.role, "assistant");
  assert.equal(item.status, "completed");
  assert.deepEqual(item.content.map((c) => (c.type === "output_text" ? c.text : c.type)), [FINISHING_REPLY]);
}

describe("responses.create and responses.stream", () => {
  const request = { model: MODEL, instructions: "Be brief.", input: "What is the capital of France?", max_output_tokens: 200, temperature: 0 };

  test("a non-streamed response is completed, with the known reply, prefixed ids and usage that adds up", async () => {
    const response = await client.responses.create(request);
    assert.match(response.id, /^resp_/);
    assert.equal(response.object, "response");
    assert.equal(response.model, MODEL);
    assert.equal(response.instructions, "Be brief.");
    assert.equal(response.max_output_tokens, 200);
    assert.equal(response.error, null);
    assert.equal(response.incomplete_details, null);
    assert.equal(response.output_text, FINISHING_REPLY, "the SDK's own output_text, computed from the output items");
    assertFinishingMessage(response);
    const usage = response.usage!;
    assert.ok(usage.input_tokens > 0);
    assert.ok(usage.output_tokens > 0 && usage.output_tokens < 20, `${usage.output_tokens} output tokens`);
    assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
    assert.ok(usage.input_tokens_details.cached_tokens >= 0 && usage.input_tokens_details.cached_tokens < usage.input_tokens);
    assert.equal(usage.output_tokens_details.reasoning_tokens, 0);
  });

  test("the SDK's stream helper accepts the events, numbered from 0, and its final response equals the non-streamed one", async () => {
    const whole = await client.responses.create(request);
    const stream = client.responses.stream(request);
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();

    assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
    assert.deepEqual(events.slice(0, 2).map((e) => e.type), ["response.created", "response.in_progress"]);
    assert.equal(events.at(-1)?.type, "response.completed");
    assert.deepEqual(events.map((e) => e.type), [
      "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
      ...events.filter((e) => e.type === "response.output_text.delta").map(() => "response.output_text.delta"),
      "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
    ]);
    const deltas = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : []));
    assert.equal(deltas.join(""), FINISHING_REPLY, "the deltas add up to the reply");
    const created = events[0]!;
    assert.ok(created.type === "response.created");
    assert.equal(created.response.id, final.id);
    assert.equal(created.response.status, "in_progress");
    assert.deepEqual(created.response.output, []);
    const added = events.find((e) => e.type === "response.output_item.added");
    assert.equal(added?.type === "response.output_item.added" ? added.item.id : undefined, final.output[0]?.id, "the item keeps its id from added to completed");

    assert.equal(final.output_text, FINISHING_REPLY);
    assert.notEqual(final.id, whole.id);
    assert.deepEqual(comparable(final), comparable(whole));
  });

  test("the raw SSE names each frame by its type and sends no [DONE]", async () => {
    const response = await fetch(`${server.baseUrl}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...request, stream: true }),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const frames = (await response.text()).split("\n\n").filter((f) => f.trim() !== "");
    assert.ok(frames.length > 4);
    for (const frame of frames) {
      const match = /^event: (\S+)\ndata: (.*)$/s.exec(frame);
      assert.ok(match, `a frame with event and data: ${JSON.stringify(frame)}`);
      assert.equal((JSON.parse(match[2]!) as { type: string }).type, match[1]);
    }
    assert.ok(!frames.some((f) => f.includes("[DONE]")));
  });
});

describe("function calls", () => {
  test("a required tool gives exactly one function_call; its output sent with previous_response_id gets an answer", async () => {
    const first = await client.responses.create({ model: MODEL, input: "Weather in Paris?", tools: [weather], tool_choice: "required", max_output_tokens: 300 });
    assert.equal(first.status, "completed");
    const calls = first.output.filter((item) => item.type === "function_call");
    assert.equal(calls.length, 1, JSON.stringify(first.output));
    assert.equal(first.output_text, "", "no text beside the forced call");
    const call = calls[0]!;
    assert.match(call.id ?? "", /^fc_/);
    assert.match(call.call_id, /^call_/);
    assert.equal(call.name, "get_weather");
    const args = JSON.parse(call.arguments) as { city: unknown; days: unknown };
    assert.equal(typeof args.city, "string");
    assert.ok(Number.isInteger(args.days));

    const second = await client.responses.create({
      model: MODEL,
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: call.call_id, output: JSON.stringify({ forecast: "sunny" }) }],
      tools: [weather],
      max_output_tokens: 200,
    });
    assert.equal(second.previous_response_id, first.id);
    assertFinishingMessage(second);
    assert.ok(second.usage!.input_tokens > first.usage!.input_tokens, "the second turn reads the first");
  });

  test("the same round trip without stored state, the history sent back in full as Codex does", async () => {
    const input: OpenAI.Responses.ResponseInputItem[] = [{ role: "user", content: "Weather in Rome?" }];
    const first = await client.responses.create({ model: MODEL, input, tools: [weather], tool_choice: "required", store: false, max_output_tokens: 300 });
    const call = first.output.find((item) => item.type === "function_call");
    assert.ok(call !== undefined, JSON.stringify(first.output));
    const second = await client.responses.create({
      model: MODEL, store: false, tools: [weather], max_output_tokens: 200,
      // The SDK's output and input item types differ only in statuses this server never sends.
      input: [...input, ...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: "function_call_output", call_id: call.call_id, output: "sunny" }],
    });
    assertFinishingMessage(second);
  });

  test("a streamed forced call: argument deltas add up to the arguments of the final item", async () => {
    const stream = client.responses.stream({ model: MODEL, input: "Weather in Lisbon?", tools: [weather], tool_choice: { type: "function", name: "get_weather" }, max_output_tokens: 300 });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    assert.equal(final.status, "completed");
    assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
    const call = final.output.find((item) => item.type === "function_call");
    assert.ok(call !== undefined);
    const deltas = events.flatMap((e) => (e.type === "response.function_call_arguments.delta" ? [e.delta] : []));
    assert.ok(deltas.length > 0);
    assert.equal(deltas.join(""), call.arguments);
    JSON.parse(call.arguments);
    const done = events.find((e) => e.type === "response.function_call_arguments.done");
    assert.equal(done?.type === "response.function_call_arguments.done" ? done.arguments : undefined, call.arguments);
  });
});

test("responses.parse with a zod text format: output_parsed is what the schema parses from the text", async () => {
  const Weather = z.object({
    city: z.enum(["Paris", "Rome", "Lisbon"]),
    sunny: z.boolean(),
    tags: z.array(z.enum(["warm", "dry"])).max(2),
  });
  const response = await client.responses.parse({ model: MODEL, input: "The weather as JSON", text: { format: zodTextFormat(Weather, "weather") }, max_output_tokens: 300 });
  assert.equal(response.status, "completed");
  assert.equal(response.text?.format?.type, "json_schema", "the format is echoed");
  assert.ok(response.output_parsed !== null);
  assert.deepEqual(response.output_parsed, Weather.parse(JSON.parse(response.output_text)));
});

test("hosted tools and a hosted tool_choice are accepted and left out; the model answers in text", async () => {
  const response = await client.responses.create({
    model: MODEL,
    input: [
      { role: "user", content: "Look it up." },
      { type: "web_search_call", id: "ws_1", status: "completed", action: { type: "search", query: "capital of France" } },
      { role: "user", content: "And now?" },
    ],
    tools: [{ type: "web_search" }, { type: "file_search", vector_store_ids: ["vs_1"] }, { type: "code_interpreter", container: { type: "auto" } }, weather],
    tool_choice: { type: "file_search" },
    max_output_tokens: 200,
  });
  assertFinishingMessage(response);
});

describe("refusals", () => {
  const assertBadRequest = (param: string, pattern: RegExp) => (error: unknown) => {
    assert.ok(error instanceof OpenAI.BadRequestError, String(error));
    assert.equal(error.status, 400);
    assert.equal(error.param, param);
    assert.match(error.message, pattern);
    return true;
  };

  test("background responses are a 400 naming background", async () => {
    await assert.rejects(client.responses.create({ model: MODEL, input: "Hi", background: true }), assertBadRequest("background", /background/));
  });

  test("conversations are a 400 that points to previous_response_id", async () => {
    await assert.rejects(client.responses.create({ model: MODEL, input: "Hi", conversation: "conv_123" }), assertBadRequest("conversation", /previous_response_id/));
  });
});

describe("the Vercel AI SDK's default OpenAI model (Responses)", () => {
  let provider: ReturnType<typeof createOpenAI>;
  before(() => {
    provider = createOpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused" });
  });

  test("generateText returns the known reply", async () => {
    const result = await generateText({ model: provider(MODEL), prompt: "Hello", maxOutputTokens: 200, maxRetries: 0 });
    assert.equal(result.text, FINISHING_REPLY);
    assert.equal(result.finishReason, "stop");
    assert.match(result.response.id, /^resp_/);
    assert.ok((result.usage.inputTokens ?? 0) > 0);
    assert.ok((result.usage.outputTokens ?? 0) > 0);
  });

  test("streamText streams the known reply", async () => {
    const result = streamText({ model: provider(MODEL), system: "Be brief.", prompt: "Stream", maxOutputTokens: 200, maxRetries: 0 });
    let streamed = "";
    for await (const delta of result.textStream) streamed += delta;
    assert.equal(streamed, FINISHING_REPLY);
    assert.equal(await result.text, FINISHING_REPLY);
    assert.equal(await result.finishReason, "stop");
  });

  test("a second turn built from the first's messages reads the first reply, which the SDK sends as an item_reference", async () => {
    const first = await generateText({ model: provider(MODEL), prompt: "Hello", maxOutputTokens: 200, maxRetries: 0 });
    assert.equal(first.text, FINISHING_REPLY);
    const messages: ModelMessage[] = [{ role: "user", content: "Hello" }, ...first.response.messages, { role: "user", content: "And again?" }];
    const referenced = await generateText({ model: provider(MODEL), messages, maxOutputTokens: 200, maxRetries: 0 });
    // With store: false the SDK sends the reply's text instead: the same conversation, so the same prompt.
    const inline = await generateText({ model: provider(MODEL), messages, providerOptions: { openai: { store: false } }, maxOutputTokens: 200, maxRetries: 0 });
    assert.equal(referenced.text, FINISHING_REPLY);
    assert.equal(referenced.usage.inputTokens, inline.usage.inputTokens);
  });

  test("a tool loop: the required call runs, its result goes back, and the next step answers", async () => {
    let called: unknown;
    const result = await generateText({
      model: provider(MODEL),
      prompt: "What is the weather in Rome?",
      tools: {
        weather: weatherTool((city) => { called = city; }),
      },
      prepareStep: ({ stepNumber }) => (stepNumber === 0 ? { toolChoice: "required" } : {}),
      stopWhen: stepCountIs(2),
      maxOutputTokens: 200,
      maxRetries: 0,
    });
    assert.ok(called === "Paris" || called === "Rome", `tool ran with ${String(called)}`);
    assert.equal(result.steps.length, 2);
    assert.equal(result.steps[0]?.finishReason, "tool-calls");
    assert.deepEqual(result.steps[0]?.toolResults.map((r) => r.output), [{ city: called, forecast: "sunny" }]);
    assert.equal(result.steps[1]?.finishReason, "stop");
    assert.equal(result.text, FINISHING_REPLY);
  });
});
