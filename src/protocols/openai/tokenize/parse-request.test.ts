import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { validate } from "../../validate.js";
import { parseChatCompletionRequest } from "../chat-completions/parse-request.js";
import { chatCompletionRequest } from "../chat-completions/schema.js";
import { parseTokenizeRequest } from "./parse-request.js";
import { MAX_TOKENIZE_CHARS, tokenizeRequest } from "./schema.js";

const OPTIONS = { maxTokensLimit: 4096 };
const parse = (body: Record<string, unknown>) => parseTokenizeRequest(validate(tokenizeRequest, body), OPTIONS);

function refusal(body: Record<string, unknown>): GatewayError {
  try {
    parse(body);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(body).slice(0, 100)}`);
}

test("the text form takes llama-server's defaults: no special tokens added, special markup parsed, no pieces", () => {
  assert.deepEqual(parse({ content: "hi" }), { kind: "text", content: "hi", addSpecial: false, parseSpecial: true, withPieces: false });
  assert.deepEqual(parse({ model: "m", content: "", add_special: true, parse_special: false, with_pieces: true }),
    { kind: "text", model: "m", content: "", addSpecial: true, parseSpecial: false, withPieces: true });
});

test("the chat form is parsed exactly as a chat completion with the same messages", () => {
  const messages = [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello" }];
  const request = parse({ model: "m", messages, tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }] });
  assert.equal(request.kind, "chat");
  assert.equal(request.model, "m");
  const completion = parseChatCompletionRequest(validate(chatCompletionRequest, {
    model: "m", messages, tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
  }), OPTIONS);
  assert.deepEqual(request.kind === "chat" ? request.chat : undefined, completion);
  assert.equal(parse({ messages, add_generation_prompt: true }).model, undefined);
});

test("a body of neither form, a bad field, or text past the bound is a 400 naming the field", () => {
  assert.equal(refusal({}).param, "content");
  assert.equal(refusal({ content: 3 }).param, "content");
  assert.equal(refusal({ content: "x", add_special: "yes" }).param, "add_special");
  assert.equal(refusal({ messages: [] }).param, "messages");
  assert.equal(refusal({ messages: [{ role: "wizard", content: "x" }] }).param?.startsWith("messages[0]"), true);
  assert.equal(refusal({ messages: [{ role: "user", content: "x" }], add_generation_prompt: false }).param, "add_generation_prompt");
  const long = refusal({ content: "x".repeat(MAX_TOKENIZE_CHARS + 1) });
  assert.equal(long.param, "content");
  assert.equal(long.reason, "input_limit");
});
