// The package's TypeScript client (src/client) against the real server on the fixture.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { LALSClient, LALSError } from "../../src/client/index.js";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let client: LALSClient;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "2", MODEL_N_CTX: "1024", MAX_TOKENS_LIMIT: "512" } });
  client = new LALSClient({ baseURL: server.baseUrl, apiKey: "unused" });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

test("chatOpenAI and streamOpenAI: a completion, then chunks that add up to the same greedy text", async () => {
  const request = { model: MODEL, messages: [{ role: "user" as const, content: "Hi" }], max_tokens: 6, temperature: 0 };
  const completion = await client.chatOpenAI(request);
  assert.equal(completion.object, "chat.completion");
  let text = "";
  for await (const chunk of client.streamOpenAI(request)) text += chunk.choices[0]?.delta.content ?? "";
  assert.equal(text, completion.choices[0]?.message.content);
});

test("chatAnthropic and streamAnthropic: a message, then its events in order", async () => {
  const request = { model: MODEL, max_tokens: 6, temperature: 0, messages: [{ role: "user" as const, content: "Hi" }] };
  const message = await client.chatAnthropic(request);
  assert.equal(message.type, "message");
  const types: string[] = [];
  let text = "";
  for await (const event of client.streamAnthropic(request)) {
    types.push(event.type);
    if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
  }
  assert.equal(types[0], "message_start");
  assert.equal(types.at(-1), "message_stop");
  assert.equal(text, message.content[0]?.type === "text" ? message.content[0].text : "");
});

test("inference and streamInference answer in the protocol of the request, tagged with it", async () => {
  const openai = await client.inference({ model: MODEL, messages: [{ role: "developer", content: "Be brief." }, { role: "user", content: "Hi" }], max_tokens: 2 });
  assert.equal(openai.protocol, "openai");
  assert.ok(openai.protocol === "openai" && openai.response.object === "chat.completion");
  const anthropic = await client.inference({ model: MODEL, system: "Be brief.", max_tokens: 2, messages: [{ role: "user", content: "Hi" }] });
  assert.ok(anthropic.protocol === "anthropic" && anthropic.response.type === "message");
  const protocols = new Set<string>();
  for await (const item of client.streamInference({ model: MODEL, system: "Be brief.", max_tokens: 2, messages: [{ role: "user", content: "Hi" }] })) protocols.add(item.protocol);
  assert.deepEqual([...protocols], ["anthropic"]);
});

test("errors are LALSErrors with status, protocol, type, param and request id", async () => {
  await assert.rejects(client.chatOpenAI({ model: "nope", messages: [{ role: "user", content: "x" }] }), (error: unknown) => {
    assert.ok(error instanceof LALSError);
    assert.deepEqual([error.status, error.protocol, error.param], [404, "openai", "model"]);
    assert.match(error.requestId ?? "", /^req_/);
    return true;
  });
  await assert.rejects(client.chatAnthropic({ model: MODEL, max_tokens: 0, messages: [{ role: "user", content: "x" }] }), (error: unknown) => {
    assert.ok(error instanceof LALSError);
    assert.deepEqual([error.status, error.protocol, error.type], [400, "anthropic", "invalid_request_error"]);
    return true;
  });
});

test("an abort signal stops a stream; the server goes on serving", async () => {
  const controller = new AbortController();
  let chunks = 0;
  await assert.rejects((async () => {
    for await (const _ of client.streamOpenAI({ model: MODEL, messages: [{ role: "user", content: "long" }], max_tokens: 400 }, { signal: controller.signal })) {
      if (++chunks === 3) controller.abort();
    }
  })(), (error: unknown) => error instanceof Error && error.name === "AbortError");
  assert.equal(chunks, 3);
  const after = await client.chatOpenAI({ model: MODEL, messages: [{ role: "user", content: "x" }], max_tokens: 2 });
  assert.equal(after.choices[0]?.finish_reason, "length");
});
