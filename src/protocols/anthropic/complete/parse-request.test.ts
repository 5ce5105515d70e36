import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { validate } from "../../validate.js";
import { parseCompleteRequest } from "./parse-request.js";
import { completeRequest } from "./schema.js";

const parse = (prompt: string, extra: Record<string, unknown> = {}) =>
  parseCompleteRequest(validate(completeRequest, { model: "m", max_tokens_to_sample: 8, prompt, ...extra }), { maxTokensLimit: 100 });
const isInvalid = (param: string) => (e: unknown) => e instanceof GatewayError && e.kind === "invalid_request" && e.param === param;

test("splits the Human/Assistant prompt into turns, with text before the first Human turn as the system prompt", () => {
  const request = parse("You are terse.\n\nHuman: Hi\n\nAssistant: Hello.\n\nHuman: Again?\n\nAssistant:");
  assert.deepEqual(request.system, [{ type: "text", text: "You are terse." }]);
  assert.deepEqual(request.messages, [
    { role: "user", content: [{ type: "text", text: "Hi" }] },
    { role: "assistant", content: [{ type: "text", text: "Hello." }] },
    { role: "user", content: [{ type: "text", text: "Again?" }] },
  ]);
  assert.deepEqual(request.thinking, { enabled: false });
});

test("text after the final Assistant: is a prefill the model continues", () => {
  const request = parse("\n\nHuman: Pick one\n\nAssistant: The answer is (");
  assert.deepEqual(request.messages.at(-1), { role: "assistant", content: [{ type: "text", text: "The answer is (" }] });
});

test("always stops at the next Human turn, besides the client's stop sequences", () => {
  const request = parse("\n\nHuman: x\n\nAssistant:", { stop_sequences: ["END", ""], temperature: 0.2, top_k: 5 });
  assert.deepEqual(request.sampling, { maxTokens: 8, stop: ["\n\nHuman:", "END"], temperature: 0.2, topK: 5 });
});

test("refuses prompts that are not in the Human/Assistant form, as the API did", () => {
  assert.throws(() => parse("Hello"), isInvalid("prompt"));
  assert.throws(() => parse("\n\nHuman: Hello"), isInvalid("prompt"));
  assert.throws(() => parse("\n\nAssistant: Hi\n\nHuman: x\n\nAssistant:"), isInvalid("prompt"));
  assert.throws(() => parse("\n\nHuman:\n\nAssistant:"), isInvalid("prompt"));
  assert.throws(() => validate(completeRequest, { model: "m", prompt: "\n\nHuman: x\n\nAssistant:" }), { param: "max_tokens_to_sample" });
  assert.equal(parse("\n\nHuman: x\n\nAssistant:", { max_tokens_to_sample: 1000 }).sampling.maxTokens, 100, "lowered to the limit");
});
