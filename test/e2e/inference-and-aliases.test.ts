// /v1/inference answering each API in kind, and model aliases letting SDKs ask for vendor model names.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { eventually, startServer, type RunningServer } from "./harness.js";

let server: RunningServer;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "2", MODEL_N_CTX: "1024", MAX_TOKENS_LIMIT: "512", MODEL_ALIASES: "claude-*=qwen3-0.6b,gpt-4o*=qwen3-0.6b" } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const inference = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${server.baseUrl}/v1/inference`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

const openaiBody = { model: "qwen3-0.6b", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }], max_tokens: 4 };
const anthropicBody = { model: "qwen3-0.6b", system: "Be brief.", messages: [{ role: "user", content: "Hi" }], max_tokens: 4 };

describe("/v1/inference", () => {
  test("the same conversation in OpenAI's shape comes back as a chat.completion", async () => {
    const response = await inference(openaiBody);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-lals-protocol"), "openai");
    const body = (await response.json()) as OpenAI.ChatCompletion;
    assert.equal(body.object, "chat.completion");
    assert.equal(body.choices[0]?.finish_reason, "length");
  });

  test("…and in Anthropic's shape as a message", async () => {
    const response = await inference(anthropicBody);
    assert.equal(response.headers.get("x-lals-protocol"), "anthropic");
    const body = (await response.json()) as Anthropic.Message;
    assert.equal(body.type, "message");
    assert.equal(body.stop_reason, "max_tokens");
  });

  test("streamed, each gets its own protocol's events", async () => {
    const openaiStream = await (await inference({ ...openaiBody, stream: true })).text();
    assert.ok(openaiStream.startsWith("data: {") && openaiStream.endsWith("data: [DONE]\n\n"));
    assert.match(openaiStream, /"object":"chat.completion.chunk"/);
    const anthropicStream = await (await inference({ ...anthropicBody, stream: true })).text();
    assert.ok(anthropicStream.startsWith("event: message_start\n"));
    assert.ok(anthropicStream.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n'));
  });

  test("an ambiguous body follows the default; headers decide explicitly", async () => {
    const ambiguous = { model: "qwen3-0.6b", messages: [{ role: "user", content: "Hi" }], max_tokens: 2 };
    assert.equal((await inference(ambiguous)).headers.get("x-lals-protocol"), "openai");
    const byHeader = await inference(ambiguous, { "x-lals-protocol": "anthropic" });
    assert.equal(((await byHeader.json()) as { type: string }).type, "message");
    const byVersion = await inference(ambiguous, { "anthropic-version": "2023-06-01" });
    assert.equal(byVersion.headers.get("x-lals-protocol"), "anthropic");
  });

  test("legacy prompts go to the matching completion API", async () => {
    const openaiLegacy = (await (await inference({ model: "qwen3-0.6b", prompt: "Once", max_tokens: 3 })).json()) as { object: string };
    assert.equal(openaiLegacy.object, "text_completion");
    const anthropicLegacy = (await (await inference({ model: "qwen3-0.6b", prompt: "\n\nHuman: Hi\n\nAssistant:", max_tokens_to_sample: 3 })).json()) as { type: string };
    assert.equal(anthropicLegacy.type, "completion");
  });

  test("mixed or shapeless bodies are 400s explaining what is accepted; errors take the detected shape", async () => {
    const mixed = await inference({ ...anthropicBody, n: 2 });
    assert.equal(mixed.status, 400);
    assert.match(((await mixed.json()) as { error: { message: string } }).error.message, /mixes the two APIs: system \(Anthropic\) with n \(OpenAI\)/);
    const shapeless = await inference({ model: "qwen3-0.6b" });
    assert.equal(shapeless.status, 400);
    assert.match(((await shapeless.json()) as { error: { message: string } }).error.message, /Anthropic Messages request/);
    const anthropicError = await inference({ ...anthropicBody, model: "nope" });
    assert.equal(anthropicError.status, 404);
    assert.deepEqual(((await anthropicError.json()) as { type: string; error: { type: string } }).error.type, "not_found_error");
  });
});

describe("model aliases", () => {
  test("the OpenAI SDK asks for gpt-4o and gets an answer that names gpt-4o", async () => {
    const client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], max_tokens: 3 });
    assert.equal(completion.model, "gpt-4o");
    assert.equal(completion.choices[0]?.finish_reason, "length");
    await assert.rejects(client.chat.completions.create({ model: "llama-3", messages: [{ role: "user", content: "Hi" }], max_tokens: 3 }), OpenAI.NotFoundError);
  });

  test("a vendor's model name no alias maps is served by the default model, named as asked, and the log says which served it", async () => {
    const client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: "gpt-5.2-codex", messages: [{ role: "user", content: "Hi" }], max_tokens: 3 });
    assert.equal(completion.model, "gpt-5.2-codex");
    const anthropic = new Anthropic({ baseURL: server.baseUrl, apiKey: "unused", maxRetries: 0 });
    assert.equal((await anthropic.messages.create({ model: "claude-sonnet-4-5-20250929", max_tokens: 3, messages: [{ role: "user", content: "Hi" }] })).model, "claude-sonnet-4-5-20250929");
    await eventually("the request's log line", () => server.logs.some((l) => l.msg === "request" && l.model === "gpt-5.2-codex" && l.servedBy === "qwen3-0.6b"));
  });

  test("the Anthropic SDK asks for claude-sonnet-4-5, streamed and not, and counts its tokens", async () => {
    const client = new Anthropic({ baseURL: server.baseUrl, apiKey: "unused", maxRetries: 0 });
    const request = { model: "claude-sonnet-4-5", max_tokens: 3, messages: [{ role: "user" as const, content: "Hi" }] };
    assert.equal((await client.messages.create(request)).model, "claude-sonnet-4-5");
    assert.equal((await client.messages.stream(request).finalMessage()).model, "claude-sonnet-4-5");
    assert.ok((await client.messages.countTokens({ model: "claude-opus-4-1", messages: request.messages })).input_tokens > 0);
    await assert.rejects(client.messages.create({ ...request, model: "mistral-large" }), Anthropic.NotFoundError);
  });

  test("/v1/models lists the served model and the aliases", async () => {
    const client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.deepEqual(ids, ["qwen3-0.6b", "claude-*", "gpt-4o*", "gpt-*", "chatgpt-*", "o<digit>*", "codex-*", "gemini-*"]);
  });
});
