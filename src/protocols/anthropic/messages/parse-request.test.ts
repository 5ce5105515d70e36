import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { validate } from "../../validate.js";
import { parseMessagesRequest } from "./parse-request.js";
import { messagesBase, messagesRequest } from "./schema.js";

const parse = (body: Record<string, unknown>, maxTokensLimit = 1000) =>
  parseMessagesRequest(validate(messagesRequest, { model: "m", max_tokens: 16, ...body }), { maxTokensLimit });
const isInvalid = (param: string) => (e: unknown) => e instanceof GatewayError && e.kind === "invalid_request" && e.param === param;
const user = (content: unknown) => ({ role: "user", content });

test("reads system as a string or text blocks, and turns in order with string or block content", () => {
  const blocks = parse({
    system: [{ type: "text", text: "S1", cache_control: { type: "ephemeral" } }, { type: "text", text: "S2" }],
    messages: [user("hi"), { role: "assistant", content: [{ type: "text", text: "hello" }] }, user([{ type: "text", text: "a" }])],
  });
  assert.deepEqual(blocks.system, [{ type: "text", text: "S1" }, { type: "text", text: "S2" }]);
  assert.deepEqual(blocks.messages, [
    { role: "user", content: [{ type: "text", text: "hi" }] },
    { role: "assistant", content: [{ type: "text", text: "hello" }] },
    { role: "user", content: [{ type: "text", text: "a" }] },
  ]);
  assert.deepEqual(parse({ system: "Be brief.", messages: [user("x")] }).system, [{ type: "text", text: "Be brief." }]);
});

test("merges consecutive turns of one role, as the API does", () => {
  const request = parse({ messages: [user("a"), user("b"), { role: "assistant", content: "c" }] });
  assert.deepEqual(request.messages, [
    { role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] },
    { role: "assistant", content: [{ type: "text", text: "c" }] },
  ]);
});

test("system-role messages join the system prompt", () => {
  const request = parse({ messages: [{ role: "system", content: "rules" }, user("x")] });
  assert.deepEqual(request.system, [{ type: "text", text: "rules" }]);
  assert.equal(request.messages.length, 1);
});

test("reads sampling, stop sequences and the user id", () => {
  const request = parse({ messages: [user("x")], temperature: 0.5, top_p: 0.9, top_k: 40, stop_sequences: ["END"], metadata: { user_id: "u1" } });
  assert.deepEqual(request.sampling, { stop: ["END"], maxTokens: 16, temperature: 0.5, topP: 0.9, topK: 40 });
  assert.equal(request.metadata.user_id, "u1");
});

test("maps tool_use, tool_result and thinking history blocks to canonical parts; redacted thinking is dropped", () => {
  const request = parse({
    messages: [
      user("q"),
      { role: "assistant", content: [
        { type: "thinking", thinking: "plan", signature: "sig" },
        { type: "redacted_thinking", data: "opaque" },
        { type: "tool_use", id: "toolu_1", name: "f", input: { a: 1 } },
      ] },
      user([{ type: "tool_result", tool_use_id: "toolu_1", content: "42", is_error: false }]),
    ],
  });
  assert.deepEqual(request.messages[1]?.content, [
    { type: "thinking", text: "plan", signature: "sig" },
    { type: "tool_call", id: "toolu_1", name: "f", arguments: { a: 1 } },
  ]);
  assert.deepEqual(request.messages[2]?.content, [{ type: "tool_result", toolCallId: "toolu_1", content: [{ type: "text", text: "42" }], isError: false }]);
});

test("thinking enabled, adaptive and disabled set the canonical switch and budget", () => {
  assert.deepEqual(parse({ messages: [user("x")], max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 } }, 4096).thinking, { enabled: true, budgetTokens: 1024 });
  assert.deepEqual(parse({ messages: [user("x")], thinking: { type: "disabled" } }).thinking, { enabled: false });
  assert.deepEqual(parse({ messages: [user("x")], thinking: { type: "adaptive" } }).thinking, {}, "adaptive: the model decides");
  assert.throws(() => parse({ messages: [user("x")], max_tokens: 1024, thinking: { type: "enabled", budget_tokens: 1024 } }), isInvalid("max_tokens"));
});

test("refuses what the API offers but this server cannot do, naming the field", () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ messages: [user([{ type: "document", source: { type: "text", data: "x" } }])] }, "messages[0].content[0].type"],
    [{ messages: [user("x")], tools: [{ type: "web_search_20250305", name: "web_search" }] }, "tools[0].type"],
    [{ messages: [user("x")], tools: [{ name: "f" }] }, "tools[0].input_schema"],
    [{ messages: [user("x")], tools: [{ name: "f", input_schema: {} }], tool_choice: { type: "any" }, max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 } }, "tool_choice"],
    [{ messages: [user("x")], tool_choice: { type: "any" } }, "tool_choice"],
    [{ messages: [user("x")], mcp_servers: [{ type: "url", url: "https://x", name: "x" }] }, "mcp_servers"],
    [{ messages: [user("x")], container: "c" }, "container"],
    [{ messages: [user([{ type: "tool_result", tool_use_id: "t", content: [{ type: "image", source: { type: "url", url: "u" } }] }])] }, "messages[0].content[0].content[0]"],
  ];
  for (const [body, param] of cases) assert.throws(() => parse(body, 4096), isInvalid(param), param);
});

test("follows the API's rules on empty content, roles and stop sequences", () => {
  assert.throws(() => parse({ messages: [user("")] }), isInvalid("messages[0].content"));
  // An empty text block beside others is dropped (Claude Code sends them); a message left with nothing is still refused.
  assert.deepEqual(parse({ messages: [user([{ type: "text", text: "" }, { type: "text", text: "hi" }])], system: [{ type: "text", text: "" }, { type: "text", text: "s" }] }).messages[0]!.content, [{ type: "text", text: "hi" }]);
  assert.throws(() => parse({ messages: [user([{ type: "text", text: "" }])] }), isInvalid("messages[0].content"));
  assert.throws(() => parse({ messages: [user([{ type: "tool_use", id: "t", name: "f", input: {} }])] }), isInvalid("messages[0].content"));
  assert.throws(() => parse({ messages: [user("x")], stop_sequences: [" "] }), isInvalid("stop_sequences[0]"));
  assert.throws(() => parse({ messages: [{ role: "system", content: "only" }] }), isInvalid("messages"));
  // An empty final assistant turn is allowed: the model simply answers.
  assert.equal(parse({ messages: [user("x"), { role: "assistant", content: "" }] }).messages.length, 2);
});

test("schema errors name the field the way the API does", () => {
  assert.throws(() => validate(messagesRequest, { model: "m", messages: [user("x")] }), { kind: "invalid_request", param: "max_tokens", message: "max_tokens: Field required" });
  assert.throws(() => validate(messagesRequest, { model: "m", max_tokens: 1, messages: [] }), { param: "messages", message: "messages: at least one message is required" });
  assert.throws(() => validate(messagesRequest, { model: "m", max_tokens: 1, messages: [user("x")], temperature: 1.5 }), { param: "temperature" });
  assert.throws(() => validate(messagesRequest, { model: "m", max_tokens: 1, messages: [{ role: "tool", content: "x" }] }), { param: "messages[0].role" });
});

test("max_tokens above MAX_TOKENS_LIMIT is lowered to it, or refused when the operator says so", () => {
  assert.equal(parse({ messages: [user("x")], max_tokens: 64000 }).sampling.maxTokens, 1000);
  const body = validate(messagesRequest, { model: "m", messages: [user("x")], max_tokens: 5000 });
  assert.throws(() => parseMessagesRequest(body, { maxTokensLimit: 1000, refuseAboveLimit: true }), isInvalid("max_tokens"));
});

test("metadata of any shape is accepted", () => {
  assert.equal(parse({ messages: [user("x")], metadata: { user_id: "{\"device\":\"d\"}", session: { id: 3 } } }).metadata.user_id, "{\"device\":\"d\"}");
  assert.deepEqual(parse({ messages: [user("x")], metadata: { user_id: { nested: true } } }).metadata, {});
});

test("Claude Code's context_management and output_config.effort are accepted: the first ignored with a warning, the second a thinking budget", () => {
  const request = parse({ messages: [user("x")], context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] }, output_config: { effort: "medium" }, thinking: { type: "adaptive" } });
  assert.deepEqual(request.thinking, { budgetTokens: 4096 });
  assert.match(request.warnings.join(" "), /^context_management /);
});

test("count_tokens requests need no max_tokens", () => {
  const request = parseMessagesRequest(validate(messagesBase, { model: "m", messages: [user("x")] }), { maxTokensLimit: 10 });
  assert.equal(request.sampling.maxTokens, undefined);
});

test("reads tools and every tool_choice, with disable_parallel_tool_use", () => {
  const tools = [{ name: "get_weather", description: "Weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }, { type: "custom", name: "f", input_schema: {} }];
  const auto = parse({ messages: [user("x")], tools });
  assert.deepEqual(auto.tools, [
    { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
    { name: "f", parameters: {} },
  ]);
  assert.deepEqual([auto.toolChoice, auto.parallelToolCalls], [{ type: "auto" }, true]);
  assert.deepEqual(parse({ messages: [user("x")], tools, tool_choice: { type: "any" } }).toolChoice, { type: "required" });
  const named = parse({ messages: [user("x")], tools, tool_choice: { type: "tool", name: "f", disable_parallel_tool_use: true } });
  assert.deepEqual([named.toolChoice, named.parallelToolCalls], [{ type: "tool", name: "f" }, false]);
  assert.deepEqual(parse({ messages: [user("x")], tools, tool_choice: { type: "none" } }).toolChoice, { type: "none" });
});

test("output_config.format asks for JSON matching its schema", () => {
  const request = parse({ messages: [user("x")], output_config: { format: { type: "json_schema", schema: { type: "object" } } } });
  assert.deepEqual(request.responseFormat, { type: "json_schema", name: "output", schema: { type: "object" }, strict: true });
});

test("drops Claude Code's per-request billing line from the system prompt, so prompts share their prefix", () => {
  const system = (cch: string) => [
    { type: "text", text: `x-anthropic-billing-header: cc_version=2.1.37.0d9; cc_entrypoint=cli; cch=${cch};` },
    { type: "text", text: "You are Claude Code." },
  ];
  const a = parse({ system: system("fa690"), messages: [user("x")] });
  const b = parse({ system: system("0b1c2"), messages: [user("x")] });
  assert.deepEqual(a.system, [{ type: "text", text: "You are Claude Code." }]);
  assert.deepEqual(a.system, b.system);
  const inline = parse({ system: "x-anthropic-billing-header: cch=1;\nBe brief.", messages: [user("x")] });
  assert.deepEqual(inline.system, [{ type: "text", text: "Be brief." }]);
});
