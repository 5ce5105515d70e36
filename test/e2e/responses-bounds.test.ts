// What a Responses request expands to is bounded, not what it costs on the wire: item references to one large item
// (inline or stored) are refused as input past the bounds literal input has, one key flooding the store cannot push
// out another key's responses, and a request's log lines stay short whatever it holds. Two keys, two partitions.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eventually, startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;

before(async () => {
  server = await startServer({ fixture: "finishing", env: { API_KEYS: "key-a,key-b" } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

interface Reply {
  status: number;
  body: { id?: string; error?: { type: string; param: string | null; message: string }; output?: unknown[] };
}

async function post(path: string, key: string, body: Record<string, unknown>, requestId?: string): Promise<Reply> {
  const reply = await fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...(requestId === undefined ? {} : { "x-request-id": requestId }) },
    body: JSON.stringify({ model: MODEL, ...body }),
  });
  return { status: reply.status, body: (await reply.json()) as Reply["body"] };
}

const retrieve = async (key: string, id: string): Promise<number> =>
  (await fetch(`${server.baseUrl}/v1/responses/${id}`, { headers: { authorization: `Bearer ${key}` } })).status;

function assertRefusedAsInput(reply: Reply): void {
  assert.equal(reply.status, 400, JSON.stringify(reply.body).slice(0, 500));
  assert.equal(reply.body.error?.type, "invalid_request_error");
  assert.equal(reply.body.error?.param, "input");
}

async function inputLimitRejections(): Promise<number> {
  const metrics = await (await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: "Bearer key-b" } })).text();
  return Number(/^lals_rejections_total\{reason="input_limit"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

const references = (id: string, count: number) => Array.from({ length: count }, () => ({ type: "item_reference", id }));
/** 100 KB of text in one message, referenced 200 times: 20 MB once resolved, from a 110 KB body. */
const inlineBomb = { input: [{ type: "message", id: "msg_big", role: "user", content: "many words ".repeat(10_000) }, ...references("msg_big", 200)] };
const normal = { input: "Say hello.", max_output_tokens: 16 };

test("a reference bomb, inline or to a stored item, is a 400 naming input while another key is served", async () => {
  // A stored message of 2,000 characters, fine to read once; 5,000 references to it are 10 million characters.
  const stored = await post("/v1/responses", "key-a", { input: [{ type: "message", id: "msg_kept", role: "user", content: "lorem ipsum ".repeat(170) }], max_output_tokens: 8 });
  assert.equal(stored.status, 200, JSON.stringify(stored.body));
  const storedBomb = { input: [...references("msg_kept", 5000), { role: "user", content: "hi" }] };
  // A few references to it are read like the item itself.
  const count = async (input: unknown[]) => (await post("/v1/responses/input_tokens", "key-a", { input })).body as { input_tokens?: number };
  const alone = await count([{ role: "user", content: "hi" }]);
  const referenced = await count([...references("msg_kept", 3), { role: "user", content: "hi" }]);
  assert.ok((referenced.input_tokens ?? 0) > (alone.input_tokens ?? 0) + 3 * 100, JSON.stringify({ alone, referenced }));

  const rejectedBefore = await inputLimitRejections();
  const bombs = [
    post("/v1/responses/input_tokens", "key-a", inlineBomb),
    post("/v1/responses/input_tokens", "key-a", storedBomb),
    post("/v1/responses", "key-a", inlineBomb),
    post("/v1/responses", "key-a", storedBomb),
  ];
  const [wellBehaved, ...refused] = await Promise.all([post("/v1/responses", "key-b", normal), ...bombs]);
  for (const reply of refused) assertRefusedAsInput(reply);
  assert.equal(wellBehaved.status, 200, JSON.stringify(wellBehaved.body));
  assert.ok((wellBehaved.body.output ?? []).length > 0);
  // Refused by the input's bounds (reason input_limit), not by the context the prompt would have overflowed.
  assert.equal(await inputLimitRejections(), rejectedBefore + bombs.length);
});

test("one key flooding the store with large responses does not evict another key's", async () => {
  const kept = await post("/v1/responses", "key-b", normal);
  assert.equal(kept.status, 200);
  // Each response stores its 7 MB input twice (as its input and in its conversation); never shown to the model.
  const large = { type: "web_search_call", id: "ws_flood", status: "completed", action: { query: "q".repeat(7_000_000) } };
  const flood: string[] = [];
  for (let i = 0; i < 20; i++) {
    const reply = await post("/v1/responses", "key-a", { input: [large, { role: "user", content: "hi" }], max_output_tokens: 4 });
    assert.equal(reply.status, 200, JSON.stringify(reply.body).slice(0, 500));
    flood.push(reply.body.id!);
  }
  assert.equal(await retrieve("key-b", kept.body.id!), 200, "key B's stored response survives key A's flood");
  assert.equal(await retrieve("key-a", flood.at(-1)!), 200);
  assert.equal(await retrieve("key-a", flood[0]!), 404, "key A's own oldest went instead");
});

test("a request's log lines stay short, however many references it holds", async () => {
  const logged = (requestId: string): number =>
    server.logs.filter((line) => line.reqId === requestId).reduce((sum, line) => sum + JSON.stringify(line).length, 0);
  const done = (requestId: string) => eventually(`${requestId} is logged`, () => server.logs.some((line) => line.reqId === requestId && line.msg === "request"));

  assert.equal((await post("/v1/responses", "key-b", normal, "bounds-normal")).status, 200);
  // 5,000 references to ids no one stored, 200 characters each: a megabyte of ids.
  const unknown = Array.from({ length: 5000 }, (_, i) => ({ type: "item_reference", id: `ref_${i}_${"z".repeat(200)}` }));
  const unresolved = await post("/v1/responses", "key-a", { input: [...unknown, { role: "user", content: "hi" }], max_output_tokens: 4 }, "bounds-unresolved");
  assert.equal(unresolved.status, 200, JSON.stringify(unresolved.body).slice(0, 500));
  assertRefusedAsInput(await post("/v1/responses/input_tokens", "key-a", inlineBomb, "bounds-bomb"));
  for (const id of ["bounds-normal", "bounds-unresolved", "bounds-bomb"]) await done(id);

  const normalBytes = logged("bounds-normal");
  assert.ok(normalBytes > 0);
  assert.ok(logged("bounds-unresolved") < 4 * normalBytes, `${logged("bounds-unresolved")} bytes of log, against ${normalBytes} for a normal request`);
  assert.ok(logged("bounds-bomb") < 4 * normalBytes, `${logged("bounds-bomb")} bytes of log, against ${normalBytes} for a normal request`);
  const warning = server.logs.find((line) => line.reqId === "bounds-unresolved" && Array.isArray(line.warnings));
  assert.ok(JSON.stringify(warning?.warnings).includes("5000"), "the one warning counts the references left out");
});
