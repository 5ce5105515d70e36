// Tool calls and thinking through both official SDKs on the fixture. Its random weights never call a tool or think
// by themselves, so calls are forced (node-llama-cpp's grammar makes them valid) and thinking is switched on.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let openai: OpenAI;
let anthropic: Anthropic;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "2", MODEL_N_CTX: "4096", MAX_TOKENS_LIMIT: "2048" } });
  openai = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: server.baseUrl, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const CITIES = ["Paris", "Rome", "Lisbon"];
const weatherSchema = {
  type: "object",
  properties: { city: { type: "string", enum: CITIES }, days: { type: "integer", enum: [1, 2, 3, 4, 5, 6, 7] }, metric: { type: "boolean" } },
  required: ["city", "days", "metric"],
  additionalProperties: false,
};
const timeSchema = { type: "object", properties: { zone: { type: "string", enum: ["UTC", "CET"] } }, required: ["zone"] };

/** Checks arguments against weatherSchema by hand: every field present, of its type, nothing else. */
function assertWeatherArgs(args: unknown): void {
  assert.ok(typeof args === "object" && args !== null, `an object: ${JSON.stringify(args)}`);
  const { city, days, metric, ...rest } = args as Record<string, unknown>;
  assert.ok(CITIES.includes(city as string), `city ${String(city)}`);
  assert.ok(Number.isInteger(days), `days ${String(days)}`);
  assert.equal(typeof metric, "boolean");
  assert.deepEqual(rest, {});
}

describe("OpenAI tools", () => {
  const tools: OpenAI.ChatCompletionTool[] = [
    { type: "function", function: { name: "get_weather", description: "Weather forecast", parameters: weatherSchema } },
    { type: "function", function: { name: "get_time", description: "Current time", parameters: timeSchema } },
  ];
  const ask: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Paris for 3 days?" }];

  test("tool_choice required yields a call with call_ id and arguments that validate", async () => {
    const completion = await openai.chat.completions.create({
      model: MODEL, messages: ask, tools: [tools[0]!], tool_choice: "required", parallel_tool_calls: false, max_tokens: 200,
    });
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, "tool_calls");
    assert.equal(choice.message.content, null);
    const [call] = choice.message.tool_calls ?? [];
    assert.ok(call?.type === "function");
    assert.match(call.id, /^call_/);
    assert.equal(call.function.name, "get_weather");
    assertWeatherArgs(JSON.parse(call.function.arguments));
  });

  test("a named function is the one called, among several", async () => {
    const completion = await openai.chat.completions.create({
      model: MODEL, messages: ask, tools, tool_choice: { type: "function", function: { name: "get_time" } }, parallel_tool_calls: false, max_tokens: 200,
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    assert.ok(call?.type === "function");
    assert.equal(call.function.name, "get_time");
    assert.ok(["UTC", "CET"].includes((JSON.parse(call.function.arguments) as { zone: string }).zone));
  });

  test("streamed tool calls assemble into valid JSON: id and name first, then argument fragments", async () => {
    const stream = await openai.chat.completions.create({
      model: MODEL, messages: ask, tools: [tools[0]!], tool_choice: "required", parallel_tool_calls: false, max_tokens: 200, stream: true,
    });
    let id = "";
    let name = "";
    let args = "";
    let finish: string | null | undefined;
    let fragments = 0;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      for (const call of delta?.tool_calls ?? []) {
        assert.equal(call.index, 0);
        if (call.id !== undefined) {
          assert.equal(id, "", "id only once");
          id = call.id;
          name = call.function?.name ?? "";
        } else fragments++;
        args += call.function?.arguments ?? "";
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.match(id, /^call_/);
    assert.equal(name, "get_weather");
    assert.ok(fragments > 1, "arguments arrive in fragments");
    assertWeatherArgs(JSON.parse(args));
    assert.equal(finish, "tool_calls");
  });

  test("a tool loop runs to completion: call, tool result, answer (non-streamed and streamed)", async () => {
    const first = await openai.chat.completions.create({
      model: MODEL, messages: ask, tools, tool_choice: "required", parallel_tool_calls: false, max_tokens: 200,
    });
    const call = first.choices[0]!.message.tool_calls![0]!;
    assert.ok(call.type === "function");
    const history: OpenAI.ChatCompletionMessageParam[] = [
      ...ask,
      { role: "assistant", content: null, tool_calls: [call] },
      { role: "tool", tool_call_id: call.id, content: JSON.stringify({ forecast: "sunny", high: 24 }) },
    ];
    const answer = await openai.chat.completions.create({ model: MODEL, messages: history, tools, max_tokens: 8 });
    assert.equal(answer.choices[0]?.finish_reason, "length");
    assert.ok((answer.choices[0]?.message.content ?? "").length > 0);
    assert.ok(answer.usage!.prompt_tokens > first.usage!.prompt_tokens, "the call and its result are in the prompt");

    let streamed = "";
    for await (const chunk of await openai.chat.completions.create({ model: MODEL, messages: history, tools, max_tokens: 8, stream: true })) {
      streamed += chunk.choices[0]?.delta.content ?? "";
    }
    assert.ok(streamed.length > 0);
  });

  test("tool_choice none offers no tools: the reply is text", async () => {
    const completion = await openai.chat.completions.create({ model: MODEL, messages: ask, tools, tool_choice: "none", max_tokens: 4 });
    assert.equal(completion.choices[0]?.finish_reason, "length");
    assert.equal(completion.choices[0]?.message.tool_calls, undefined);
  });

  test("naming a function that is not among the tools is a 400 naming tool_choice", async () => {
    await assert.rejects(openai.chat.completions.create({
      model: MODEL, max_tokens: 2, messages: ask, tools, tool_choice: { type: "function", function: { name: "nope" } },
    }), (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === "tool_choice");
    await assert.rejects(anthropic.messages.create({
      model: MODEL, max_tokens: 2, messages: [{ role: "user", content: "x" }], tools: [{ name: "f", input_schema: { type: "object" } }], tool_choice: { type: "tool", name: "nope" },
    }), Anthropic.BadRequestError);
  });

  test("a tool result for a call nobody made is a 400", async () => {
    await assert.rejects(openai.chat.completions.create({
      model: MODEL, max_tokens: 2, messages: [...ask, { role: "tool", tool_call_id: "call_nope", content: "x" }],
    }), OpenAI.BadRequestError);
  });
});

describe("OpenAI reasoning", () => {
  type WithReasoning = { reasoning_content?: string; reasoning?: string };

  test("reasoning_effort on: reasoning under both field names, never in the content, then the answer", async () => {
    const completion = await openai.chat.completions.create({
      model: MODEL, messages: [{ role: "user", content: "Think first" }], reasoning_effort: "minimal", max_tokens: 280,
    });
    const message = completion.choices[0]!.message as OpenAI.ChatCompletionMessage & WithReasoning;
    assert.ok((message.reasoning_content ?? "").length > 0);
    assert.equal(message.reasoning, message.reasoning_content);
    assert.ok((message.content ?? "").length > 0, "text follows once the thinking budget is spent");
    assert.ok(!(message.content ?? "").includes(message.reasoning_content!));
    assert.equal(completion.usage?.completion_tokens, 280);
    const reasoningTokens = completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
    assert.ok(reasoningTokens > 200 && reasoningTokens < 280, `reasoning tokens ${reasoningTokens} within the 256 budget`);
  });

  test("streamed reasoning arrives in reasoning deltas before content deltas", async () => {
    const stream = await openai.chat.completions.create({
      model: MODEL, messages: [{ role: "user", content: "Think first" }], reasoning_effort: "minimal", max_tokens: 270, stream: true,
    });
    const kinds: string[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as (OpenAI.ChatCompletionChunk.Choice.Delta & WithReasoning) | undefined;
      if (delta?.reasoning_content) {
        assert.equal(delta.reasoning, delta.reasoning_content);
        kinds.push("reasoning");
      }
      if (delta?.content) kinds.push("content");
    }
    const firstContent = kinds.indexOf("content");
    assert.ok(kinds.indexOf("reasoning") === 0 && firstContent > 0);
    assert.ok(kinds.slice(firstContent).every((k) => k === "content"));
  });

  test("reasoning_effort none: no reasoning; reasoning sent back in history is accepted", async () => {
    const completion = await openai.chat.completions.create({
      model: MODEL, reasoning_effort: "none", max_tokens: 4,
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello", reasoning_content: "greet back" } as OpenAI.ChatCompletionAssistantMessageParam,
        { role: "user", content: "Again" },
      ],
    });
    const message = completion.choices[0]!.message as OpenAI.ChatCompletionMessage & WithReasoning;
    assert.equal(message.reasoning_content, undefined);
    assert.ok((message.content ?? "").length > 0);
  });
});

describe("Anthropic tools", () => {
  const tools: Anthropic.Tool[] = [
    { name: "get_weather", description: "Weather forecast", input_schema: weatherSchema as Anthropic.Tool.InputSchema },
    { name: "get_time", description: "Current time", input_schema: timeSchema as Anthropic.Tool.InputSchema },
  ];
  const ask: Anthropic.MessageParam[] = [{ role: "user", content: "Weather in Rome for 2 days?" }];

  test("tool_choice any yields a tool_use block with a toolu_ id and an input that validates", async () => {
    const message = await anthropic.messages.create({
      model: MODEL, max_tokens: 200, messages: ask, tools: [tools[0]!], tool_choice: { type: "any", disable_parallel_tool_use: true },
    });
    assert.equal(message.stop_reason, "tool_use");
    const block = message.content.find((b) => b.type === "tool_use");
    assert.ok(block?.type === "tool_use");
    assert.match(block.id, /^toolu_/);
    assert.equal(block.name, "get_weather");
    assertWeatherArgs(block.input);
  });

  test("a named tool is the one used, not merely any tool", async () => {
    const message = await anthropic.messages.create({
      model: MODEL, max_tokens: 200, messages: ask, tools, tool_choice: { type: "tool", name: "get_time", disable_parallel_tool_use: true },
    });
    const block = message.content.find((b) => b.type === "tool_use");
    assert.ok(block?.type === "tool_use");
    assert.equal(block.name, "get_time");
  });

  test("streamed tool_use: content_block_start with the block, input_json_delta fragments, finalMessage() input parsed", async () => {
    const stream = anthropic.messages.stream({
      model: MODEL, max_tokens: 200, messages: ask, tools: [tools[0]!], tool_choice: { type: "any", disable_parallel_tool_use: true },
    });
    let partial = "";
    const events: string[] = [];
    stream.on("streamEvent", (event) => {
      events.push(event.type === "content_block_delta" ? event.delta.type : event.type);
      if (event.type === "content_block_start") assert.deepEqual([event.content_block.type, (event.content_block as Anthropic.ToolUseBlock).input], ["tool_use", {}]);
    });
    stream.on("inputJson", (delta) => { partial += delta; });
    const final = await stream.finalMessage();
    assert.deepEqual(events.filter((e, i) => e !== events[i - 1]), ["message_start", "content_block_start", "input_json_delta", "content_block_stop", "message_delta", "message_stop"]);
    const block = final.content[0];
    assert.ok(block?.type === "tool_use");
    assert.deepEqual(block.input, JSON.parse(partial));
    assertWeatherArgs(block.input);
    assert.equal(final.stop_reason, "tool_use");
  });

  test("a tool loop runs to completion: tool_use, tool_result (string and blocks, is_error), answer", async () => {
    const first = await anthropic.messages.create({
      model: MODEL, max_tokens: 200, messages: ask, tools, tool_choice: { type: "any", disable_parallel_tool_use: true },
    });
    const use = first.content.find((b) => b.type === "tool_use");
    assert.ok(use?.type === "tool_use");
    for (const content of ["sunny, 24°C", [{ type: "text" as const, text: "sunny" }]]) {
      const history: Anthropic.MessageParam[] = [
        ...ask,
        { role: "assistant", content: first.content as Anthropic.ContentBlockParam[] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content, is_error: false }] },
      ];
      const answer = await anthropic.messages.create({ model: MODEL, max_tokens: 6, messages: history, tools });
      assert.equal(answer.stop_reason, "max_tokens");
      assert.ok(answer.content.some((b) => b.type === "text" && b.text.length > 0));
      const streamed = await anthropic.messages.stream({ model: MODEL, max_tokens: 6, messages: history, tools }).finalMessage();
      assert.equal(streamed.stop_reason, "max_tokens");
      const counted = await anthropic.messages.countTokens({ model: MODEL, messages: history, tools });
      assert.equal(counted.input_tokens, answer.usage.input_tokens + (answer.usage.cache_read_input_tokens ?? 0));
    }
  });

  test("count_tokens includes the tool definitions", async () => {
    const bare = await anthropic.messages.countTokens({ model: MODEL, messages: ask });
    const withTools = await anthropic.messages.countTokens({ model: MODEL, messages: ask, tools });
    assert.ok(withTools.input_tokens > bare.input_tokens + 20);
  });
});

describe("Anthropic thinking", () => {
  test("thinking enabled: a thinking block with a signature, then text; the budget caps the thinking", async () => {
    const message = await anthropic.messages.create({
      model: MODEL, max_tokens: 1100, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "Think" }],
    });
    assert.deepEqual(message.content.map((b) => b.type), ["thinking", "text"]);
    const thinking = message.content[0];
    assert.ok(thinking?.type === "thinking");
    assert.ok(thinking.thinking.length > 0 && thinking.signature.length > 0);
    assert.equal(message.usage.output_tokens, 1100);
    const thinkingTokens = message.usage.output_tokens_details?.thinking_tokens ?? 0;
    assert.ok(thinkingTokens >= 1000 && thinkingTokens <= 1030, `thinking tokens ${thinkingTokens} near the 1024 budget`);
  });

  test("streamed thinking: thinking_delta, signature_delta, stop, then the text block", async () => {
    const stream = anthropic.messages.stream({
      model: MODEL, max_tokens: 1040, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "Think" }],
    });
    const order: string[] = [];
    stream.on("streamEvent", (event) => {
      const name = event.type === "content_block_delta" ? event.delta.type
        : event.type === "content_block_start" ? `start:${event.content_block.type}` : event.type;
      if (order.at(-1) !== name) order.push(name);
    });
    const final = await stream.finalMessage();
    assert.deepEqual(order, [
      "message_start", "start:thinking", "thinking_delta", "signature_delta", "content_block_stop",
      "start:text", "text_delta", "content_block_stop", "message_delta", "message_stop",
    ]);
    const thinking = final.content[0];
    assert.ok(thinking?.type === "thinking" && thinking.signature.length > 0);
  });

  test("thinking disabled: no thinking block; thinking blocks sent back in history are accepted", async () => {
    const first = await anthropic.messages.create({
      model: MODEL, max_tokens: 1030, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "Think" }],
    });
    const message = await anthropic.messages.create({
      model: MODEL, max_tokens: 4, thinking: { type: "disabled" },
      messages: [{ role: "user", content: "Think" }, { role: "assistant", content: first.content as Anthropic.ContentBlockParam[] }, { role: "user", content: "Now answer" }],
    });
    assert.deepEqual(message.content.map((b) => b.type), ["text"]);
  });
});
