// The context each slot gets: by default the model's trained context where memory allows; a prompt that still does
// not fit is a 400 saying by how much.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readGgufFileInfo } from "node-llama-cpp";
import { fixtureModel, startServer } from "./harness.js";

test("MODEL_N_CTX=auto gives each slot the model's trained context, and says why at start-up", async () => {
  const info = await readGgufFileInfo(await fixtureModel());
  const trained = Number((info.metadata as unknown as { qwen3: { context_length: number } }).qwen3.context_length);
  const server = await startServer({ env: { MODEL_N_CTX: "auto", MODEL_PARALLEL: "2" } });
  try {
    const loaded = server.logs.find((l) => l.msg === "model loaded")!;
    assert.equal(loaded.contextSize, trained);
    assert.match(String(loaded.contextChoice), new RegExp(`trained on ${trained} tokens`));
    const model = (await (await fetch(`${server.baseUrl}/v1/models/qwen3-0.6b`, { headers: { "anthropic-version": "2023-06-01" } })).json()) as { max_input_tokens: number };
    assert.equal(model.max_input_tokens, trained, "Anthropic's model object tells clients the context");
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test("a prompt longer than the context is a 400 saying by how much, in each protocol", async () => {
  const server = await startServer({ env: { MODEL_N_CTX: "256" } });
  try {
    const long = "word ".repeat(400);
    const openai = await fetch(`${server.baseUrl}/v1/chat/completions`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "qwen3-0.6b", messages: [{ role: "user", content: long }], max_tokens: 4 }),
    });
    assert.equal(openai.status, 400);
    const message = ((await openai.json()) as { error: { message: string } }).error.message;
    const [, prompt, context, over] = /is (\d+) tokens long, but the model's context holds (\d+) tokens: (\d+) too many/.exec(message) ?? [];
    assert.equal(Number(context), 256);
    assert.equal(Number(over), Number(prompt) - 256 + 1);
    const anthropic = await fetch(`${server.baseUrl}/v1/messages`, {
      method: "POST", headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "qwen3-0.6b", max_tokens: 4, messages: [{ role: "user", content: long }] }),
    });
    assert.equal(anthropic.status, 400);
    assert.equal(((await anthropic.json()) as { error: { type: string } }).error.type, "invalid_request_error");
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
