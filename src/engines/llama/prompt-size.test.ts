import assert from "node:assert/strict";
import { test } from "node:test";
import type { LlamaModel } from "node-llama-cpp";
import { emptyChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { PromptSize } from "./prompt-size.js";

/** A model whose tokenizer makes one token of each word, and whose longest token is `longest` bytes. */
function wordModel(longest: number) {
  const calls: number[] = [];
  const model = {
    fileInfo: { metadata: { tokenizer: { ggml: { tokens: ["a", "x".repeat(longest)] } } } },
    tokenize: (text: string) => {
      calls.push(text.length);
      return text.split(" ").filter((w) => w !== "");
    },
  } as unknown as LlamaModel;
  return { model, calls };
}

const asking = (text: string) => {
  const request = emptyChatRequest("m");
  request.messages.push({ role: "user", content: [{ type: "text", text }] });
  return request;
};

test("text whose bytes over the longest token exceed the context is refused without tokenizing", async () => {
  const { model, calls } = wordModel(10);
  await assert.rejects(new PromptSize(model).check(asking("y".repeat(100_000)), 4096),
    (e: unknown) => e instanceof GatewayError && e.param === "messages" && /at least 10000 tokens/.test(e.message));
  assert.deepEqual(calls, []);
});

test("long text under that floor is counted in pieces, and refused as soon as the count passes the context", async () => {
  const { model, calls } = wordModel(1000);
  // 2 MB of two-byte words: a floor of 2,000 tokens, really 1 M.
  await assert.rejects(new PromptSize(model).check(asking("w ".repeat(1_000_000)), 40_960), GatewayError);
  assert.ok(calls.length > 1 && Math.max(...calls) <= 32 * 1024, "in pieces");
  assert.ok(calls.reduce((a, b) => a + b, 0) < 1_000_000, "stops once past the context, long before the end");
  const fits = wordModel(1000);
  await new PromptSize(fits.model).check(asking("w ".repeat(200_000)), 300_000);
  await new PromptSize(fits.model).check(asking("short"), 16);
});
