// Admission and slot lifetime on the real server: a request needing more slots than exist is refused at once, and
// clients that stop reading neither keep their slots nor starve others.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, test } from "node:test";
import { startServer, type RunningServer } from "./harness.js";

let server: RunningServer;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "2", MODEL_N_CTX: "8192", WRITE_STALL_TIMEOUT: "2", QUEUE_TIMEOUT: "20" } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const post = (path: string, body: unknown): Promise<Response> =>
  fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

test("streamed n above the slots is a 400 at once, for chat and for a list of prompts", async () => {
  const chat = await post("/v1/chat/completions", { model: "qwen3-0.6b", messages: [{ role: "user", content: "Hi" }], n: 3, stream: true, max_tokens: 4 });
  assert.equal(chat.status, 400);
  assert.match(((await chat.json()) as { error: { message: string } }).error.message, /needs 3 slots .* has 2/);
  const prompts = await post("/v1/completions", { model: "qwen3-0.6b", prompt: ["a", "b", "c"], stream: true, max_tokens: 4 });
  assert.equal(prompts.status, 400);
  const fits = await post("/v1/chat/completions", { model: "qwen3-0.6b", messages: [{ role: "user", content: "Hi" }], n: 2, stream: true, max_tokens: 4 });
  assert.equal(fits.status, 200);
  await fits.text();
});

/** Sends a streaming request on a raw socket that never reads the answer. */
function stalledClient(): Socket {
  const url = new URL(server.baseUrl);
  const body = JSON.stringify({ model: "qwen3-0.6b", messages: [{ role: "user", content: "Go on" }], stream: true, max_tokens: 1500 });
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  socket.pause();
  return socket;
}

// Their generations end unread (the kernel's socket buffers take ~300 KB of frames before the socket refuses more,
// the point at which WRITE_STALL_TIMEOUT starts counting; that cut-off is unit-tested in write-stall.test.ts).
test("two clients that stop reading free their slots when their generations end, and a third is served", async () => {
  const stalled = [stalledClient(), stalledClient()];
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const reply = await post("/v1/chat/completions", { model: "qwen3-0.6b", messages: [{ role: "user", content: "Hi" }], max_tokens: 4 });
    assert.equal(reply.status, 200, await reply.clone().text());
    let busy = "";
    for (let i = 0; i < 50 && busy !== "0"; i++) {
      busy = /^lals_slots_busy\S* (\d+)/m.exec(await (await fetch(`${server.baseUrl}/metrics`)).text())?.[1] ?? "";
      if (busy !== "0") await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(busy, "0");
  } finally {
    for (const socket of stalled) socket.destroy();
  }
});
