// Walks the one list of endpoints and sends each one that takes a body every over-limit case it can carry: a new
// endpoint without a row below fails here, and so does one whose schema does not use the bounded fields.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ScriptedEngine } from "../../test/scripted-engine.js";
import { loadConfig } from "../config.js";
import { Router } from "../engines/router.js";
import { buildServer } from "../server.js";
import { endpointList } from "./endpoints.js";
import { MAX_BATCH_EMBED_REQUESTS } from "./gemini/embed-content/schema.js";
import { MAX_CONTENTS, MAX_FUNCTIONS } from "./gemini/generate-content/schema.js";
import { LIMITS } from "./limits.js";
import { MAX_DETOKENIZE_TOKENS } from "./openai/detokenize/schema.js";
import { MAX_EMBEDDING_INPUTS } from "./openai/embeddings/schema.js";
import { MAX_RERANK_DOCUMENTS } from "./openai/rerank/schema.js";

type Body = Record<string, unknown>;
type Schema = Record<string, unknown>;

/** How to build each endpoint's bodies: a valid one, one with many items (where it has a list), and (where it has tools) one with tools. */
interface Shapes {
  valid(model: string): Body;
  /** Where the model is named in the path (Gemini's), not the body. */
  url?: (model: string) => string;
  items?: (count: number) => Body;
  itemLimit?: number;
  /** The valid body's status where the scripted engine cannot serve it (200 otherwise). */
  validStatus?: number;
  tools?: (count: number, parameters: Schema) => Body;
  toolLimit?: number;
}

const openaiChat = (extra: Body = {}): Body => ({ model: "m", messages: [{ role: "user", content: "x" }], ...extra });
const anthropic = (extra: Body = {}): Body => ({ model: "m", max_tokens: 4, messages: [{ role: "user", content: "x" }], ...extra });
const responses = (extra: Body = {}): Body => ({ model: "m", input: "x", ...extra });
const many = <T>(count: number, item: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => item(i));
const gemini = (extra: Body = {}): Body => ({ contents: [{ role: "user", parts: [{ text: "x" }] }], ...extra });
const geminiUrl = (method: string) => (model: string) => `/v1beta/models/${model}:${method}`;
const ollamaChat = (extra: Body = {}): Body => ({ model: "m", stream: false, messages: [{ role: "user", content: "x" }], ...extra });

const chatShapes: Shapes = {
  valid: (model) => openaiChat({ model }),
  items: (count) => openaiChat({ messages: many(count, () => ({ role: "user", content: "x" })) }),
  itemLimit: LIMITS.messages.openai,
  tools: (count, parameters) => openaiChat({ tools: many(count, (i) => ({ type: "function", function: { name: `f${i}`, parameters } })) }),
  toolLimit: LIMITS.tools.openai,
};
const messagesShapes: Shapes = {
  valid: (model) => anthropic({ model }),
  items: (count) => anthropic({ messages: many(count, () => ({ role: "user", content: "x" })) }),
  itemLimit: LIMITS.messages.anthropic,
  tools: (count, input_schema) => anthropic({ tools: many(count, (i) => ({ name: `f${i}`, input_schema })) }),
  toolLimit: LIMITS.tools.anthropic,
};
const responsesShapes: Shapes = {
  valid: (model) => responses({ model }),
  items: (count) => responses({ input: many(count, () => ({ role: "user", content: "x" })) }),
  itemLimit: LIMITS.inputItems,
  tools: (count, parameters) => responses({ tools: many(count, (i) => ({ type: "function", name: `f${i}`, parameters })) }),
  toolLimit: LIMITS.tools.openai,
};

const geminiGenerate = (method: string): Shapes => ({
  url: geminiUrl(method),
  valid: () => gemini(),
  items: (count) => gemini({ contents: many(count, () => ({ role: "user", parts: [{ text: "x" }] })) }),
  itemLimit: MAX_CONTENTS,
  tools: (count, parameters) => gemini({ tools: [{ functionDeclarations: many(count, (i) => ({ name: `f${i}`, parametersJsonSchema: parameters })) }] }),
  toolLimit: MAX_FUNCTIONS,
});

const SHAPES: Record<string, Shapes> = {
  "gemini-generate-content": geminiGenerate("generateContent"),
  "gemini-stream-generate-content": geminiGenerate("streamGenerateContent"),
  "gemini-count-tokens": {
    url: geminiUrl("countTokens"),
    valid: () => gemini(),
    items: (count) => gemini({ contents: many(count, () => ({ role: "user", parts: [{ text: "x" }] })) }),
    itemLimit: MAX_CONTENTS,
  },
  "gemini-embed-content": {
    url: geminiUrl("embedContent"),
    valid: () => ({ content: { parts: [{ text: "x" }] } }),
    items: (count) => ({ content: { parts: many(count, () => ({ text: "x" })) } }),
    itemLimit: LIMITS.contentParts,
  },
  "gemini-batch-embed-contents": {
    url: geminiUrl("batchEmbedContents"),
    valid: () => ({ requests: [{ model: "models/m", content: { parts: [{ text: "x" }] } }] }),
    items: (count) => ({ requests: many(count, () => ({ model: "models/m", content: { parts: [{ text: "x" }] } })) }),
    itemLimit: MAX_BATCH_EMBED_REQUESTS,
  },
  "ollama-chat": {
    valid: (model) => ollamaChat({ model }),
    items: (count) => ollamaChat({ messages: many(count, () => ({ role: "user", content: "x" })) }),
    itemLimit: LIMITS.messages.anthropic,
    tools: (count, parameters) => ollamaChat({ tools: many(count, (i) => ({ type: "function", function: { name: `f${i}`, parameters } })) }),
    toolLimit: LIMITS.tools.anthropic,
  },
  "ollama-generate": {
    valid: (model) => ({ model, prompt: "x", stream: false }),
    items: (count) => ({ model: "m", prompt: "x", stream: false, images: many(count, () => "eA==") }),
    itemLimit: LIMITS.contentParts,
  },
  "ollama-embed": {
    valid: (model) => ({ model, input: "x" }),
    items: (count) => ({ model: "m", input: many(count, () => "x") }),
    itemLimit: MAX_EMBEDDING_INPUTS,
  },
  "ollama-embeddings": { valid: (model) => ({ model, prompt: "x" }) },
  "ollama-show": { valid: (model) => ({ model }) },
  // A scripted model has no file to pull: a 400, but only once the body is within bounds.
  "ollama-pull": { valid: (model) => ({ model, stream: false }), validStatus: 400 },
  "openai-chat": chatShapes,
  "openai-completions": {
    valid: (model) => ({ model, prompt: "x", max_tokens: 4 }),
    items: (count) => ({ model: "m", prompt: many(count, () => "x"), max_tokens: 4 }),
    itemLimit: LIMITS.choices,
  },
  "openai-embeddings": {
    valid: (model) => ({ model, input: "x" }),
    items: (count) => ({ model: "m", input: many(count, () => "x") }),
    itemLimit: MAX_EMBEDDING_INPUTS,
  },
  "openai-rerank": {
    valid: (model) => ({ model, query: "q", documents: ["x", { text: "y" }] }),
    items: (count) => ({ model: "m", query: "q", documents: many(count, () => "x") }),
    itemLimit: MAX_RERANK_DOCUMENTS,
  },
  "openai-tokenize": {
    // The text form; items and tools are the chat form's, bounded as a chat completion's.
    valid: (model) => ({ model, content: "x" }),
    items: chatShapes.items,
    itemLimit: chatShapes.itemLimit,
    tools: chatShapes.tools!,
    toolLimit: chatShapes.toolLimit!,
  },
  "openai-detokenize": {
    valid: (model) => ({ model, tokens: [120] }),
    items: (count) => ({ model: "m", tokens: many(count, () => 1) }),
    itemLimit: MAX_DETOKENIZE_TOKENS,
  },
  "openai-responses": responsesShapes,
  "openai-responses-input-tokens": responsesShapes,
  "anthropic-messages": messagesShapes,
  "anthropic-count-tokens": messagesShapes,
  "anthropic-complete": {
    valid: (model) => ({ model, prompt: "\n\nHuman: x\n\nAssistant:", max_tokens_to_sample: 4 }),
    items: (count) => ({ model: "m", prompt: "\n\nHuman: x\n\nAssistant:", max_tokens_to_sample: 4, stop_sequences: many(count, (i) => `s${i}`) }),
    itemLimit: LIMITS.stopSequences.anthropic,
  },
};

/** A schema nested `levels` deep. */
const nested = (levels: number): Schema => (levels === 0 ? { type: "string" } : { type: "object", properties: { a: nested(levels - 1) } });
const SCHEMAS: Record<string, Schema> = {
  "nested past the depth limit": nested(LIMITS.schema.depth + 2),
  "an enum past the values limit": { type: "object", properties: { a: { type: "string", enum: many(LIMITS.schema.enumValues + 1, (i) => `v${i}`) } } },
  "properties past the limit": { type: "object", properties: Object.fromEntries(many(LIMITS.schema.properties + 1, (i) => [`p${i}`, { type: "string" }])) },
  "names past the characters limit": { type: "object", properties: { a: { type: "string", enum: ["x".repeat(LIMITS.schema.chars + 1)] } } },
};

async function server() {
  const engine = new ScriptedEngine("m", { inputTokens: 3, deltas: ["hi"] });
  return { app: await buildServer(loadConfig([], {}), new Router([engine])), engine };
}

const bodyEndpoints = endpointList({ openai: true, anthropic: true, gemini: true, ollama: true }).filter((e) => e.body !== undefined);

test("every endpoint that takes a body has bound cases here", () => {
  assert.ok(bodyEndpoints.length >= 7);
  for (const endpoint of bodyEndpoints) assert.ok(SHAPES[endpoint.name] !== undefined, `no bound cases for ${endpoint.name}`);
});

for (const endpoint of bodyEndpoints) {
  const shapes = SHAPES[endpoint.name];
  if (shapes === undefined) continue;
  const urlOf = shapes.url ?? (() => endpoint.paths[0]!);
  test(`${endpoint.name}: every over-limit input is a 4xx before the engine is asked anything`, async () => {
    const { app, engine } = await server();
    const send = (payload: Body, model = "m") => app.inject({ method: endpoint.method, url: urlOf(model), payload });
    const accepted = await send(shapes.valid("m"));
    assert.equal(accepted.statusCode, shapes.validStatus ?? 200, `a valid body passes: ${accepted.body}`);
    const asked = engine.requests.length + engine.embedRequests.length + engine.rankRequests.length + engine.tokenizeRequests.length;

    const cases: [string, Body, number, string?][] = [
      ["text past the limit", { ...shapes.valid("m"), metadata: { note: "x".repeat(LIMITS.textChars + 1) } }, 413],
      ["nesting past the limit", { ...shapes.valid("m"), metadata: JSON.parse(`${"[".repeat(LIMITS.jsonDepth + 1)}${"]".repeat(LIMITS.jsonDepth + 1)}`) as unknown }, 400],
    ];
    for (const [what, model] of [["a model name past the limit", "x".repeat(LIMITS.modelName + 1)], ["a megabyte model name", "x".repeat(1024 * 1024)]] as const) {
      cases.push(shapes.url === undefined ? [what, shapes.valid(model), 400] : [what, shapes.valid("m"), 400, model]);
    }
    if (shapes.items !== undefined) cases.push(["items past the limit", shapes.items(shapes.itemLimit! + 1), 400]);
    if (shapes.tools !== undefined) {
      cases.push(["tools past the limit", shapes.tools(shapes.toolLimit! + 1, { type: "object" }), 400]);
      for (const [what, schema] of Object.entries(SCHEMAS)) cases.push([`a tool schema ${what}`, shapes.tools(1, schema), 400]);
    }
    for (const [what, payload, status, model] of cases) {
      const response = await send(payload, model);
      assert.equal(response.statusCode, status, `${what}: ${response.body.slice(0, 300)}`);
      assert.ok(response.body.length < 4096, `${what}: the answer does not echo the input (${response.body.length} bytes)`);
    }
    assert.equal(engine.requests.length + engine.embedRequests.length + engine.rankRequests.length + engine.tokenizeRequests.length, asked, "no over-limit request reached the engine");
  });
}

test("a response format schema past the bounds is refused on every endpoint that takes one", async () => {
  const { app } = await server();
  const formats: [string, (schema: Schema) => Body][] = [
    ["/v1/chat/completions", (schema) => openaiChat({ response_format: { type: "json_schema", json_schema: { name: "o", schema } } })],
    ["/v1/responses", (schema) => responses({ text: { format: { type: "json_schema", name: "o", schema } } })],
    ["/v1/messages", (schema) => anthropic({ output_config: { format: { type: "json_schema", schema } } })],
  ];
  for (const [url, body] of formats) {
    for (const [what, schema] of Object.entries(SCHEMAS)) {
      const response = await app.inject({ method: "POST", url, payload: body(schema) });
      assert.equal(response.statusCode, 400, `${url}, ${what}: ${response.body.slice(0, 300)}`);
    }
  }
});

test("every endpoint with path parameters refuses an over-long one with a 4xx in its protocol's shape, before any lookup", async () => {
  const { app } = await server();
  const withParams = endpointList({ openai: true, anthropic: true, gemini: true, ollama: true }).filter((e) => e.params !== undefined);
  assert.ok(withParams.length >= 5);
  for (const endpoint of withParams) {
    // A parameter and its regex (`:model([^:/]+)`) stand for the over-long value; `::` is a literal colon.
    const url = endpoint.paths[0]!.replace(/:\w+(\([^)]*\))?/g, "x".repeat(LIMITS.modelName + 1)).replace("::", ":");
    const response = await app.inject({ method: endpoint.method, url, ...(endpoint.body === undefined ? {} : { payload: {} }) });
    // fastify refuses a parameter over 100 characters itself (414), before the record's own bound (256).
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${endpoint.name}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    const error = response.json<{ error?: { message?: string; status?: string } }>().error;
    assert.equal(typeof error?.message, "string", `${endpoint.name}: an error body, ${response.body.slice(0, 200)}`);
    if (endpoint.protocol === "gemini") assert.equal(typeof error?.status, "string", `${endpoint.name}: Gemini's error shape, ${response.body.slice(0, 200)}`);
    assert.ok(response.body.length < 4096, `${endpoint.name}: the answer does not echo the input`);
  }
});
