import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { validate } from "../../validate.js";
import { loadsOnly, parseGenerateRequest } from "./parse-request.js";
import { generateRequest } from "./schema.js";

const body = (fields: Record<string, unknown>) => validate(generateRequest, { model: "llama3.2", ...fields });
const parse = (fields: Record<string, unknown>) => parseGenerateRequest(body(fields), { maxTokensLimit: 1000 });
const isInvalid = (param: string) => (e: unknown) => e instanceof GatewayError && e.kind === "invalid_request" && e.param === param;

test("without raw, the prompt is one user message after the system prompt, images beside it", () => {
  const request = parse({ prompt: "Why is the sky blue?", system: "Answer in one line.", images: ["/9j/4AAQ"] });
  assert.deepEqual(request.system, [{ type: "text", text: "Answer in one line." }]);
  assert.deepEqual(request.messages, [{ role: "user", content: [{ type: "text", text: "Why is the sky blue?" }, { type: "image", data: "/9j/4AAQ", mediaType: "image/jpeg" }] }]);
  assert.equal(request.prompt, undefined);
});

test("with raw, the prompt is continued as is; a system prompt is not applied and says so", () => {
  const request = parse({ prompt: "[INST] why is the sky blue? [/INST]", raw: true, system: "ignored" });
  assert.equal(request.prompt, "[INST] why is the sky blue? [/INST]");
  assert.deepEqual([request.system, request.messages], [[], []]);
  assert.deepEqual(request.warnings.map((w) => w.split(" ")[0]), ["system"]);
  assert.throws(() => parse({ prompt: "x", raw: true, images: ["AAAA"] }), isInvalid("images"));
});

test("a suffix is refused only when it holds something; template and context are warned about", () => {
  assert.throws(() => parse({ prompt: "def f(", suffix: "    return x" }), isInvalid("suffix"));
  assert.doesNotThrow(() => parse({ prompt: "x", suffix: "" }));
  assert.deepEqual(parse({ prompt: "x", template: "{{ .Prompt }}", context: [1, 2, 3] }).warnings.map((w) => w.split(" ")[0]), ["template", "context"]);
  assert.deepEqual(parse({ prompt: "x", context: [] }).warnings, []);
});

test("the shared fields apply as on /api/chat: options, format, think", () => {
  const request = parse({ prompt: "x", options: { num_predict: 100, seed: 42, top_k: 20, min_p: 0, typical_p: 1 }, format: "json", think: "low" });
  assert.deepEqual(request.sampling, { stop: [], maxTokens: 100, seed: 42, topK: 20, minP: 0 });
  assert.deepEqual(request.warnings.map((w) => w.split(" ")[0]), ["options.typical_p"]);
  assert.deepEqual(request.responseFormat, { type: "json" });
  assert.deepEqual(request.thinking, { enabled: true, budgetTokens: 1024 });
});

test("an empty or absent prompt without images only loads the model", () => {
  assert.equal(loadsOnly(body({})), true);
  assert.equal(loadsOnly(body({ prompt: "", keep_alive: 0 })), true);
  assert.equal(loadsOnly(body({ prompt: "", images: ["AAAA"] })), false);
  assert.equal(loadsOnly(body({ prompt: "x" })), false);
});
