import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { validate } from "../../validate.js";
import { parseChatRequest } from "./parse-request.js";
import { chatRequest } from "./schema.js";

const parse = (body: Record<string, unknown>, maxTokensLimit = 1000) =>
  parseChatRequest(validate(chatRequest, { model: "llama3.2", messages: [{ role: "user", content: "hi" }], ...body }), { maxTokensLimit });
const isInvalid = (param: string) => (e: unknown) => e instanceof GatewayError && e.kind === "invalid_request" && e.param === param;

test("system messages become the system prompt; user, assistant (with thinking) and images keep their order", () => {
  const png = "iVBORw0KGgoAAAANSUhEUg";
  const request = parse({
    messages: [
      { role: "system", content: "Be brief." },
      { role: "User", content: "what is this?", images: [png, "data:image/webp;base64,AAAA"] },
      { role: "assistant", content: "A cat.", thinking: "looks furry" },
      { role: "user", content: "sure?" },
    ],
  });
  assert.deepEqual(request.system, [{ type: "text", text: "Be brief." }]);
  assert.deepEqual(request.messages, [
    { role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image", data: png, mediaType: "image/png" }, { type: "image", data: "AAAA", mediaType: "image/webp" }] },
    { role: "assistant", content: [{ type: "thinking", text: "looks furry" }, { type: "text", text: "A cat." }] },
    { role: "user", content: [{ type: "text", text: "sure?" }] },
  ]);
});

test("options map to sampling; num_predict -1, -2 and 0 mean no limit; a limit above the server's is lowered", () => {
  const request = parse({ options: { num_predict: 64, temperature: 0.2, top_p: 0.9, top_k: 40, seed: 7, stop: ["\n\n", ""], presence_penalty: 0.5, frequency_penalty: 0.25 } });
  assert.deepEqual(request.sampling, { stop: ["\n\n"], maxTokens: 64, temperature: 0.2, topP: 0.9, topK: 40, seed: 7, presencePenalty: 0.5, frequencyPenalty: 0.25 });
  for (const unlimited of [-1, -2, 0]) assert.equal(parse({ options: { num_predict: unlimited } }).sampling.maxTokens, undefined);
  assert.equal(parse({ options: { num_predict: 5000 } }).sampling.maxTokens, 1000);
  assert.throws(() => parse({ options: { num_predict: -3 } }), isInvalid("options.num_predict"));
  assert.throws(() => parse({ options: { top_p: 1.5 } }), isInvalid("options.top_p"));
});

test("min_p and the repeat penalty are llama.cpp's samplers: applied; repeat_last_n 0 or a penalty of 1 is no penalty, -1 the whole reply", () => {
  assert.deepEqual(parse({ options: { min_p: 0.05, repeat_penalty: 1.1, repeat_last_n: 32 } }).sampling, { stop: [], minP: 0.05, repeatPenalty: { penalty: 1.1, lastTokens: 32 } });
  assert.deepEqual(parse({ options: { repeat_penalty: 1.3 } }).sampling.repeatPenalty, { penalty: 1.3 });
  assert.deepEqual(parse({ options: { repeat_penalty: 1.3, repeat_last_n: -1 } }).sampling.repeatPenalty, { penalty: 1.3, lastTokens: Infinity });
  assert.equal(parse({ options: { repeat_penalty: 1.3, repeat_last_n: 0 } }).sampling.repeatPenalty, undefined);
  assert.equal(parse({ options: { repeat_penalty: 1 } }).sampling.repeatPenalty, undefined);
  assert.deepEqual(parse({ options: { min_p: 0, repeat_penalty: 1.1 } }).warnings, []);
  assert.throws(() => parse({ options: { min_p: 2 } }), isInvalid("options.min_p"));
  assert.throws(() => parse({ options: { repeat_last_n: -2 } }), isInvalid("options.repeat_last_n"));
});

test("options without a canonical field are accepted and each named in a warning; unknown keys share one", () => {
  const request = parse({ options: { typical_p: 0.9, num_ctx: 8192, penalize_newline: true, mirostat: 0, num_thread: 4, temperature: 1, shiny: 1, sparkly: 2 } });
  const named = request.warnings.map((w) => w.split(" ")[0]);
  assert.deepEqual(named, ["options.typical_p", "options.num_ctx", "options.penalize_newline", "options.mirostat", "options.num_thread", "options"]);
  assert.match(request.warnings.at(-1)!, /shiny, sparkly/);
  assert.deepEqual(parse({ options: { temperature: 1 } }).warnings, []);
  const biased = parse({ options: { logit_bias: { 1: -100 } } });
  assert.equal(biased.sampling.logitBias, undefined, "Ollama has no logit_bias: the key is unknown, not applied");
  assert.deepEqual(biased.warnings.map((w) => w.split(" ")[0]), ["options"]);
});

test("think: booleans switch thinking; levels turn it on, low and medium with a budget", () => {
  assert.deepEqual(parse({ think: false }).thinking, { enabled: false });
  assert.deepEqual(parse({ think: true }).thinking, { enabled: true });
  assert.deepEqual(parse({ think: "low" }).thinking, { enabled: true, budgetTokens: 1024 });
  assert.deepEqual(parse({ think: "medium" }).thinking, { enabled: true, budgetTokens: 4096 });
  assert.deepEqual(parse({ think: "high" }).thinking, { enabled: true });
  assert.deepEqual(parse({ think: "max" }).thinking, { enabled: true });
  assert.equal(parse({}).thinking, undefined);
  assert.throws(() => parse({ think: "extreme" }), isInvalid("think"));
});

test("format: json, a JSON schema, or empty for text", () => {
  const schema = { type: "object", properties: { age: { type: "integer" } }, required: ["age"] };
  assert.deepEqual(parse({ format: "json" }).responseFormat, { type: "json" });
  assert.deepEqual(parse({ format: schema }).responseFormat, { type: "json_schema", name: "response", schema });
  assert.deepEqual(parse({ format: "" }).responseFormat, { type: "text" });
  assert.deepEqual(parse({}).responseFormat, { type: "text" });
  assert.throws(() => parse({ format: "yaml" }), isInvalid("format"));
});

test("tool calls get their own id or one fixed by position; tool messages answer the earliest unanswered call of their tool", () => {
  const request = parse({
    messages: [
      { role: "user", content: "weather in Oslo and Rome, and the time?" },
      {
        role: "assistant", content: "",
        tool_calls: [
          { function: { name: "weather", arguments: { city: "Oslo" } } },
          { function: { name: "clock", arguments: {} } },
          { id: "call_abc", function: { name: "weather", arguments: { city: "Rome" } } },
        ],
      },
      { role: "tool", tool_name: "weather", content: "rain" },
      { role: "tool", tool_name: "weather", content: "sun" },
      { role: "tool", content: "noon" },
    ],
    tools: [{ type: "function", function: { name: "weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }, { type: "function", function: { name: "clock" } }],
  });
  assert.deepEqual(request.messages[1], {
    role: "assistant",
    content: [
      { type: "tool_call", id: "call_1_0", name: "weather", arguments: { city: "Oslo" } },
      { type: "tool_call", id: "call_1_1", name: "clock", arguments: {} },
      { type: "tool_call", id: "call_abc", name: "weather", arguments: { city: "Rome" } },
    ],
  });
  const answered = request.messages.slice(2).map((m) => (m.content[0]?.type === "tool_result" ? [m.content[0].toolCallId, m.content[0].content[0]?.text] : []));
  assert.deepEqual(answered, [["call_1_0", "rain"], ["call_abc", "sun"], ["call_1_1", "noon"]]);
  assert.deepEqual(request.tools, [
    { name: "weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
    { name: "clock", parameters: { type: "object", properties: {} } },
  ]);
});

test("a tool message's tool_call_id picks its call over the name order", () => {
  const request = parse({
    messages: [
      { role: "user", content: "two cities" },
      { role: "assistant", tool_calls: [{ id: "a", function: { name: "weather", arguments: {} } }, { id: "b", function: { name: "weather", arguments: {} } }] },
      { role: "tool", tool_name: "weather", tool_call_id: "b", content: "B" },
      { role: "tool", tool_name: "weather", content: "A" },
    ],
  });
  assert.deepEqual(request.messages.slice(2).map((m) => (m.content[0]?.type === "tool_result" ? m.content[0].toolCallId : "")), ["b", "a"]);
});

test("a tool message with no call to answer, images outside user turns, and no turn at all are 400s naming the field", () => {
  assert.throws(() => parse({ messages: [{ role: "user", content: "x" }, { role: "tool", tool_name: "f", content: "r" }] }), isInvalid("messages[1]"));
  assert.throws(() => parse({ messages: [{ role: "assistant", content: "x", images: ["AAAA"] }] }), isInvalid("messages[0].images"));
  assert.throws(() => parse({ messages: [{ role: "system", content: "only" }] }), isInvalid("messages"));
  assert.throws(() => parse({ messages: [{ role: "robot", content: "x" }] }), isInvalid("messages[0].role"));
});

test("keep_alive is validated and warned about; logprobs ask for the top alternatives; unknown fields pass", () => {
  assert.deepEqual(parse({ keep_alive: "10m" }).warnings.map((w) => w.split(" ")[0]), ["keep_alive"]);
  assert.throws(() => parse({ keep_alive: "soon" }), isInvalid("keep_alive"));
  assert.deepEqual(parse({ logprobs: true, top_logprobs: 3 }).sampling.logprobs, { top: 3 });
  assert.equal(parse({ top_logprobs: 3 }).sampling.logprobs, undefined);
  assert.doesNotThrow(() => parse({ truncate: true, shift: false, messages: [{ role: "user", content: "x", extra: 1 }] }));
});

test("tool_choice (LALS's, in OpenAI's shape) forces a call; naming no offered tool, or required with none, is a 400", () => {
  const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }];
  assert.deepEqual(parse({ tools, tool_choice: "required" }).toolChoice, { type: "required" });
  assert.deepEqual(parse({ tools, tool_choice: { type: "function", function: { name: "get_weather" } } }).toolChoice, { type: "tool", name: "get_weather" });
  assert.deepEqual(parse({ tools }).toolChoice, { type: "auto" });
  assert.throws(() => parse({ tools, tool_choice: { type: "function", function: { name: "other" } } }), isInvalid("tool_choice"));
  assert.throws(() => parse({ tool_choice: "required" }), isInvalid("tool_choice"));
});
