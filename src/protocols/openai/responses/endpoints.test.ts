import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../../config.js";
import type { ChatEvent } from "../../../core/chat-event.js";
import type { ChatRequest } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { admitOnStart } from "../../../core/generation-stream.js";
import type { Engine } from "../../../engines/engine.js";
import { Router } from "../../../engines/router.js";
import { buildServer } from "../../../server.js";

/** A scripted engine: answers "Hello" with cached tokens growing, or refuses as overloaded when asked to. */
function fakeEngine(seen: ChatRequest[], overloaded = false): Engine {
  return {
    health: () => ({ state: "ready" }),
    occupancy: () => ({ slots: 1, busySlots: 0, queued: 0 }),
    models: () => [{ id: "m", created: 0, ownedBy: "test", contextLength: 4096 }],
    countTokens: async (request) => request.messages.length * 10,
    generate: (request) => admitOnStart(answer(request)),
  };
  async function* answer(request: ChatRequest): AsyncGenerator<ChatEvent> {
      seen.push(request);
      if (overloaded) throw new GatewayError("overloaded", "All slots are busy.");
      const inputTokens = request.messages.length * 10;
      yield { type: "start", inputTokens, cachedTokens: inputTokens - 10 };
      yield { type: "block_start", index: 0, kind: "text" };
      yield { type: "text_delta", index: 0, text: "Hello" };
      yield { type: "block_end", index: 0 };
      yield { type: "end", stopReason: "end_turn", usage: { inputTokens, cachedTokens: inputTokens - 10, outputTokens: 1 } };
  }
}

async function server(overloaded = false) {
  const seen: ChatRequest[] = [];
  const app = await buildServer(loadConfig([], {}), new Router([fakeEngine(seen, overloaded)]));
  return { app, seen };
}

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

test("previous_response_id continues the stored conversation over three turns", async () => {
  const { app, seen } = await server();
  let previous: string | undefined;
  for (const text of ["one", "two", "three"]) {
    const res = await app.inject({ method: "POST", url: "/v1/responses", payload: { model: "m", input: text, ...(previous === undefined ? {} : { previous_response_id: previous }) } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.object, "response");
    assert.equal(body.status, "completed");
    assert.match(body.id, /^resp_/);
    assert.match(body.output[0].id, /^msg_/);
    previous = body.id;
  }
  assert.deepEqual(seen.at(-1)?.messages.map((m) => m.role), ["user", "assistant", "user", "assistant", "user"]);
  const stored = await app.inject({ method: "GET", url: `/v1/responses/${previous}` });
  assert.equal(stored.json().id, previous);
  const items = await app.inject({ method: "GET", url: `/v1/responses/${previous}/input_items` });
  assert.equal(items.json().object, "list");
  assert.deepEqual(items.json().data[0].content, [{ type: "input_text", text: "three" }]);
});

test("an unknown, deleted or unstored id is previous_response_not_found", async () => {
  const { app } = await server();
  const unknown = await app.inject({ method: "POST", url: "/v1/responses", payload: { model: "m", input: "x", previous_response_id: "resp_nope" } });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().error.code, "previous_response_not_found");
  const unstored = (await app.inject({ method: "POST", url: "/v1/responses", payload: { model: "m", input: "x", store: false } })).json();
  assert.equal((await app.inject({ method: "GET", url: `/v1/responses/${unstored.id}` })).statusCode, 404);
  const kept = (await app.inject({ method: "POST", url: "/v1/responses", payload: { model: "m", input: "x" } })).json();
  assert.deepEqual((await app.inject({ method: "DELETE", url: `/v1/responses/${kept.id}` })).json(), { id: kept.id, object: "response", deleted: true });
  assert.equal((await app.inject({ method: "GET", url: `/v1/responses/${kept.id}` })).statusCode, 404);
});

test("input_tokens counts what the response would read", async () => {
  const { app } = await server();
  const res = await app.inject({ method: "POST", url: "/v1/responses/input_tokens", payload: { model: "m", input: [{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }] } });
  assert.deepEqual(res.json(), { object: "response.input_tokens", input_tokens: 30 });
});

test("a full queue is a 503 with retry-after, in OpenAI's error shape", async () => {
  const { app } = await server(true);
  const res = await app.inject({ method: "POST", url: "/v1/responses", payload: { model: "m", input: "x" } });
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers["retry-after"], "1");
  assert.equal(res.json().error.code, "server_is_overloaded");
});

test("a streamed response ends with response.completed and no [DONE]", async () => {
  const { app } = await server();
  const res = await app.inject({ method: "POST", url: "/v1/responses", payload: { model: "m", input: "x", stream: true } });
  assert.equal(res.statusCode, 200);
  const types = [...res.body.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
  assert.equal(types[0], "response.created");
  assert.equal(types.at(-1), "response.completed");
  assert.ok(!res.body.includes("[DONE]"));
  const id = /"id":"(resp_[^"]+)"/.exec(res.body)?.[1];
  assert.equal((await app.inject({ method: "GET", url: `/v1/responses/${id}` })).json().status, "completed");
});

test("cancelling a response that is not running is refused; an unknown one is a 404", async () => {
  const { app } = await server();
  const kept = (await app.inject({ method: "POST", url: "/v1/responses", payload: { model: "m", input: "x" }, headers: auth("k") })).json();
  assert.equal((await app.inject({ method: "POST", url: `/v1/responses/${kept.id}/cancel` })).statusCode, 400);
  assert.equal((await app.inject({ method: "POST", url: "/v1/responses/resp_nope/cancel" })).statusCode, 404);
});

test("references that would expand past the input's bounds are a 400 naming input, stored items' included", async () => {
  const { app } = await server();
  const big = "x".repeat(100_000);
  const refs = (id: string) => Array.from({ length: 200 }, () => ({ type: "item_reference", id }));
  for (const url of ["/v1/responses/input_tokens", "/v1/responses"]) {
    const inline = await app.inject({ method: "POST", url, payload: { model: "m", input: [{ type: "message", id: "msg_big", role: "user", content: big }, ...refs("msg_big")] } });
    assert.equal(inline.statusCode, 400, inline.body);
    assert.equal(inline.json().error.type, "invalid_request_error");
    assert.equal(inline.json().error.param, "input");
  }
  const stored = await app.inject({ method: "POST", url: "/v1/responses", payload: { model: "m", input: [{ type: "message", id: "msg_kept", role: "user", content: big }] } });
  assert.equal(stored.statusCode, 200);
  const res = await app.inject({ method: "POST", url: "/v1/responses/input_tokens", payload: { model: "m", input: [...refs("msg_kept"), { role: "user", content: "hi" }] } });
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.json().error.param, "input");
});

test("one key flooding the store evicts its own oldest responses, not another key's (RESPONSES_STORE_MAX_PER_KEY_ENTRIES)", async () => {
  const config = loadConfig([], { RESPONSES_STORE_MAX_ENTRIES: "10", RESPONSES_STORE_MAX_PER_KEY_ENTRIES: "3" });
  const app = await buildServer(config, new Router([fakeEngine([])]), { apiKeys: ["key-a", "key-b"] });
  const create = async (key: string) => (await app.inject({ method: "POST", url: "/v1/responses", payload: { model: "m", input: "x" }, headers: auth(key) })).json().id as string;
  const kept = await create("key-b");
  const flood: string[] = [];
  for (let i = 0; i < 12; i++) flood.push(await create("key-a"));
  const status = async (key: string, id: string) => (await app.inject({ method: "GET", url: `/v1/responses/${id}`, headers: auth(key) })).statusCode;
  assert.equal(await status("key-b", kept), 200);
  assert.deepEqual(await Promise.all(flood.map((id) => status("key-a", id))), [...Array(9).fill(404), 200, 200, 200]);
});
