import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { LIMITS } from "../../limits.js";
import { validate } from "../../validate.js";
import { parseResponsesRequest } from "./parse-request.js";
import { encodeReasoning } from "./reasoning-blob.js";
import { responsesRequest, type InputItem } from "./schema.js";

const key = randomBytes(32);
const parse = (body: Record<string, unknown>, history?: InputItem[]) =>
  parseResponsesRequest(validate(responsesRequest, { model: "m", ...body }), { maxTokensLimit: 4096, reasoningKey: key, ...(history === undefined ? {} : { history }) });

test("a string input is one user message, and instructions and system/developer items become the system prompt", () => {
  const { request } = parse({ instructions: "Be brief.", input: [{ role: "developer", content: "Use French." }, { role: "user", content: "Hi" }] });
  assert.deepEqual(request.system.map((p) => p.text), ["Be brief.", "Use French."]);
  assert.deepEqual(request.messages, [{ role: "user", content: [{ type: "text", text: "Hi" }] }]);
  assert.deepEqual(parse({ input: "Hello" }).request.messages, [{ role: "user", content: [{ type: "text", text: "Hello" }] }]);
});

test("a Codex-style turn: reasoning, call and output become one assistant turn and a tool message", () => {
  const { request } = parse({
    input: [
      { type: "message", role: "user", content: [{ type: "input_text", text: "list files" }] },
      { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "I should run ls." }], encrypted_content: null },
      { type: "function_call", call_id: "call_1", name: "shell", arguments: '{"command":["ls"]}' },
      { type: "function_call_output", call_id: "call_1", output: "a.txt" },
      { type: "custom_tool_call", call_id: "call_2", name: "apply_patch", input: "*** Begin Patch" },
      { type: "custom_tool_call_output", call_id: "call_2", output: [{ type: "input_text", text: "ok" }] },
    ],
  });
  assert.deepEqual(request.messages.map((m) => m.role), ["user", "assistant", "tool", "assistant", "tool"]);
  assert.deepEqual(request.messages[1]?.content, [
    { type: "thinking", text: "I should run ls." },
    { type: "tool_call", id: "call_1", name: "shell", arguments: { command: ["ls"] } },
  ]);
  assert.deepEqual(request.messages[3]?.content, [{ type: "tool_call", id: "call_2", name: "apply_patch", arguments: { input: "*** Begin Patch" } }]);
  assert.deepEqual(request.messages[4]?.content, [{ type: "tool_result", toolCallId: "call_2", content: [{ type: "text", text: "ok" }] }]);
});

test("encrypted_content this server signed brings the reasoning back; a foreign blob is ignored", () => {
  const ours = parse({ input: [{ role: "user", content: "q" }, { type: "reasoning", summary: [], encrypted_content: encodeReasoning("full thoughts", key) }, { role: "assistant", content: "a" }] });
  assert.deepEqual(ours.request.messages[1]?.content, [{ type: "thinking", text: "full thoughts" }, { type: "text", text: "a" }]);
  const foreign = parse({ input: [{ role: "user", content: "q" }, { type: "reasoning", summary: null, encrypted_content: "gAAAA-openai" }, { role: "assistant", content: "a" }] });
  assert.deepEqual(foreign.request.messages[1]?.content, [{ type: "text", text: "a" }]);
});

test("hosted tools are left out with a warning, namespaces are flattened, custom tools take one string", () => {
  const { request, toolNames } = parse({
    input: "hi",
    tools: [
      { type: "web_search", external_web_access: false },
      { type: "function", name: "shell", parameters: { type: "object", properties: {} }, strict: false },
      { type: "namespace", name: "crm", description: "CRM", tools: [{ type: "function", name: "lookup", parameters: { type: "object" } }] },
      { type: "custom", name: "apply_patch", format: { type: "grammar", syntax: "lark", definition: "start: /.+/" } },
    ],
    tool_choice: { type: "function", name: "lookup" },
  });
  assert.deepEqual(request.tools.map((t) => t.name), ["shell", "crm__lookup", "apply_patch"]);
  assert.deepEqual(toolNames.get("crm__lookup"), { name: "lookup", namespace: "crm", custom: false });
  assert.equal(toolNames.get("apply_patch")?.custom, true);
  assert.deepEqual(request.tools[2]?.parameters.required, ["input"]);
  assert.deepEqual(request.toolChoice, { type: "tool", name: "crm__lookup" });
  assert.ok(request.warnings.some((w) => w.includes("web_search")));
  assert.ok(request.warnings.some((w) => w.includes("lark")));
});

test("an additional_tools item (Codex 0.171 with its own models) offers its tools beside the request's; a later definition wins", () => {
  const exec = { type: "custom", name: "exec", description: "Run JavaScript" };
  const { request, toolNames } = parse({
    tools: [{ type: "function", name: "f", parameters: { type: "object" } }],
    input: [
      { type: "additional_tools", id: "at_1", role: "developer", tools: [{ type: "namespace", name: "functions", description: "", tools: [exec] }, { type: "web_search" }] },
      { role: "user", content: "hi" },
      { type: "additional_tools", role: "developer", tools: [{ type: "function", name: "f", description: "newer", parameters: { type: "object" } }] },
    ],
  });
  assert.deepEqual(request.tools.map((t) => [t.name, t.description]), [["functions__exec", "Run JavaScript"], ["f", "newer"]]);
  assert.deepEqual(toolNames.get("functions__exec"), { name: "exec", namespace: "functions", custom: true });
  assert.deepEqual(request.messages.map((m) => m.role), ["user"], "the items themselves are not messages");
  assert.ok(request.warnings.some((w) => w.includes("web_search")));
  assert.ok(!request.warnings.some((w) => w.includes("additional_tools")), JSON.stringify(request.warnings));
  const many = Array.from({ length: 100 }, (_, i) => ({ type: "function", name: `t${i}`, parameters: {} }));
  const items = Array.from({ length: 6 }, (_, k) => ({ type: "additional_tools", tools: many.map((t) => ({ ...t, name: `${t.name}_${k}` })) }));
  assert.throws(() => parse({ input: [...items, { role: "user", content: "hi" }] }), (e: unknown) => e instanceof GatewayError && e.param === "input");
});

test("a hosted tool_choice leaves the choice to the model; allowed_tools narrows the tools", () => {
  const hosted = parse({ input: "hi", tools: [{ type: "function", name: "f", parameters: {} }], tool_choice: { type: "web_search_preview" } });
  assert.deepEqual(hosted.request.toolChoice, { type: "auto" });
  const allowed = parse({
    input: "hi",
    tools: [{ type: "function", name: "f", parameters: {} }, { type: "function", name: "g", parameters: {} }],
    tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "g" }] },
  });
  assert.deepEqual(allowed.request.tools.map((t) => t.name), ["g"]);
  assert.deepEqual(allowed.request.toolChoice, { type: "required" });
});

test("sampling, formats, effort and hints map to the canonical request", () => {
  const { request } = parse({
    input: "hi", max_output_tokens: 100, temperature: 0.2, top_p: 0.9, parallel_tool_calls: false,
    text: { format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true }, verbosity: "low" },
    reasoning: { effort: "low", summary: "auto" }, prompt_cache_key: "session-1", metadata: { a: "b" }, user: "u1",
    store: false, service_tier: "auto", truncation: "disabled", include: ["reasoning.encrypted_content"], client_metadata: { x: 1 },
  });
  assert.equal(request.sampling.maxTokens, 100);
  assert.equal(request.sampling.temperature, 0.2);
  assert.equal(request.sampling.topP, 0.9);
  assert.equal(request.parallelToolCalls, false);
  assert.deepEqual(request.responseFormat, { type: "json_schema", name: "out", schema: { type: "object" }, strict: true });
  assert.deepEqual(request.thinking, { enabled: true, budgetTokens: 1024 });
  assert.equal(request.promptCacheKey, "session-1");
  assert.deepEqual(request.metadata, { a: "b", user: "u1" });
  assert.deepEqual(parse({ input: "hi", reasoning: { effort: "none" } }).request.thinking, { enabled: false });
  assert.deepEqual(parse({ input: "hi", text: { format: { type: "json_object" } } }).request.responseFormat, { type: "json" });
});

test("background, conversation and stored prompts are refused with a 400 naming the field", () => {
  for (const [field, value] of [["background", true], ["conversation", "conv_1"], ["prompt", { id: "pmpt_1" }]] as const) {
    assert.throws(() => parse({ input: "hi", [field]: value }), (e: unknown) => e instanceof GatewayError && e.kind === "invalid_request" && e.param === field);
  }
  assert.doesNotThrow(() => parse({ input: "hi", background: false, conversation: null }));
});

test("item references resolve against the stored conversation; unknown ones are dropped with a warning", () => {
  const history: InputItem[] = [{ type: "message", id: "msg_old", role: "user", content: "remember me" }, { type: "message", id: "msg_a", role: "assistant", content: "ok" }];
  const { request } = parse({ input: [{ type: "item_reference", id: "msg_old" }, { id: "msg_nope" }, { role: "user", content: "next" }] }, history);
  assert.deepEqual(request.messages.map((m) => m.content[0]), [
    { type: "text", text: "remember me" }, { type: "text", text: "ok" }, { type: "text", text: "remember me" }, { type: "text", text: "next" },
  ]);
  assert.ok(request.warnings.some((w) => w.includes("msg_nope")));
});

test("items of hosted tools in a history are left out with a warning, not refused", () => {
  const { request } = parse({ input: [{ role: "user", content: "q" }, { type: "web_search_call", id: "ws_1", status: "completed", action: {} }] });
  assert.equal(request.messages.length, 1);
  assert.ok(request.warnings.some((w) => w.includes("web_search_call")));
});

test("max_output_tokens above the server's limit is lowered to it", () => {
  assert.ok(parse({ input: "hi", max_output_tokens: 100000 }).request.sampling.maxTokens! < 100000);
});

const parseWith = (body: Record<string, unknown>, options: { history?: InputItem[]; storedItem?: (id: string) => InputItem | undefined }) =>
  parseResponsesRequest(validate(responsesRequest, { model: "m", ...body }), { maxTokensLimit: 4096, reasoningKey: key, ...options });
const refusedAsInput = (e: unknown) => e instanceof GatewayError && e.kind === "invalid_request" && e.param === "input";
const BIG = "x".repeat(100_000);

test("references to one large message count as many copies of it: past the input's text bound, a 400 naming input", () => {
  const refs = Array.from({ length: 200 }, () => ({ type: "item_reference", id: "msg_big" }));
  assert.throws(() => parse({ input: [{ type: "message", id: "msg_big", role: "user", content: BIG }, ...refs] }), refusedAsInput);
  const stored: InputItem = { type: "message", id: "msg_stored", role: "user", content: BIG };
  const storedRefs = Array.from({ length: 200 }, () => ({ type: "item_reference", id: "msg_stored" }));
  assert.throws(() => parseWith({ input: [...storedRefs, { role: "user", content: "hi" }] }, { storedItem: (id) => (id === "msg_stored" ? stored : undefined) }), refusedAsInput);
  const withinBound = parse({ input: [{ type: "message", id: "msg_big", role: "user", content: BIG }, ...refs.slice(0, 20)] });
  assert.equal(withinBound.request.messages.length, 21);
});

test("the history, the input and what references resolve to together stay within the input's item bound", () => {
  const history: InputItem[] = Array.from({ length: LIMITS.inputItems - 1 }, (_, i) => ({ type: "message", id: `msg_${i}`, role: "user", content: "h" }));
  assert.doesNotThrow(() => parse({ input: [{ role: "user", content: "last" }] }, history));
  assert.throws(() => parse({ input: [{ role: "user", content: "one" }, { role: "user", content: "too many" }] }, history), refusedAsInput);
  assert.throws(() => parse({ input: [{ type: "item_reference", id: "msg_0" }, { type: "item_reference", id: "msg_1" }] }, history), refusedAsInput);
});

test("the history's text counts against the input's text bound", () => {
  const history: InputItem[] = [{ type: "message", id: "msg_h", role: "user", content: "y".repeat(LIMITS.textChars) }];
  assert.throws(() => parse({ input: "and one more" }, history), refusedAsInput);
});

test("each distinct referenced id is looked up in the store once", () => {
  const lookups: string[] = [];
  const stored: InputItem = { type: "message", id: "msg_s", role: "user", content: "stored" };
  const storedItem = (id: string) => (lookups.push(id), id === "msg_s" ? stored : undefined);
  const refs = (id: string) => Array.from({ length: 50 }, () => ({ type: "item_reference", id }));
  const { request } = parseWith({ input: [...refs("msg_s"), ...refs("msg_gone"), { role: "user", content: "hi" }] }, { storedItem });
  assert.deepEqual(lookups.sort(), ["msg_gone", "msg_s"]);
  assert.equal(request.messages.length, 51);
});

test("references that name nothing make one short warning, with their count and the first few ids cut short", () => {
  const ids = Array.from({ length: 5000 }, (_, i) => `ref_${i}_${"z".repeat(200)}`);
  const { request } = parse({ input: [...ids.map((id) => ({ type: "item_reference", id })), { role: "user", content: "hi" }] });
  const warnings = request.warnings.filter((w) => w.startsWith("item_reference"));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /5000 references/);
  assert.ok(warnings[0]!.includes("ref_0_"));
  assert.ok(!warnings[0]!.includes(ids[0]!), "ids are cut short");
  assert.ok(warnings[0]!.length < 300, warnings[0]);
});
