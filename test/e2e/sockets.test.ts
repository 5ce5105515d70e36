// Raw sockets against the real server: connections that only wait cannot lock out a client with something to ask,
// a client that stops reading loses its slot though the kernel buffers its socket, and `Connection: close` is honoured
// on streams. Linux routes all of 127/8 to loopback, so binding a client to 127.0.0.2 makes it another address.
import assert from "node:assert/strict";
import { once } from "node:events";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { eventually, startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
const KEY = "sk-sockets-test";
/** What a non-reading client's kernel takes before Node sees a full socket, with Linux's default buffers (measured ~3.8 MB), in tokens of ~200 bytes. */
const KERNEL_BUFFERED_TOKENS = 19_000;

function port(server: RunningServer): number {
  return Number(new URL(server.baseUrl).port);
}

type SilentSocket = Socket & { received: string };

/** A connection from `localAddress` that sends nothing, once connected; it records whether the server closed it and what it sent. */
async function silentSocket(server: RunningServer, localAddress: string): Promise<SilentSocket> {
  const socket = Object.assign(connect({ port: port(server), host: "127.0.0.1", localAddress }), { received: "" });
  socket.on("data", (chunk: Buffer) => { socket.received += chunk.toString(); });
  socket.on("error", () => undefined);
  await once(socket, "connect");
  return socket;
}

/** A short chat completion with the key, on a new connection from `localAddress`: its status and body. */
function keyedRequest(server: RunningServer, localAddress: string): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 2 });
  return new Promise((resolve, reject) => {
    const req = request(`${server.baseUrl}/v1/chat/completions`, {
      method: "POST", agent: false, localAddress,
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => { text += chunk; });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function closeAll(sockets: Socket[]): Promise<unknown> {
  for (const socket of sockets) socket.destroy();
  return Promise.all(sockets.map((socket) => (socket.closed ? undefined : once(socket, "close"))));
}

/** Sends the stream's request on `stalled`, reads its first bytes and no more, then asks for a short answer. */
async function stallAndAskAgain(server: RunningServer, stalled: Socket, body: string): Promise<void> {
  stalled.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  const [head] = await once(stalled, "data") as [Buffer];
  stalled.pause();
  assert.match(head.toString(), /^HTTP\/1\.1 200/);

  // The one slot is the stalled stream's until it is cut off; this request waits for it.
  const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "short" }], max_tokens: 2 }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const completion = await response.json() as { choices: Array<{ message: { content: string } }>; usage: { completion_tokens: number } };
  assert.equal(completion.usage.completion_tokens, 2);

  await eventually("the stall is logged", () => server.logs.some((l) => l.msg === "client stopped reading; generation cancelled"));
  await eventually("the stalled request is logged", () => server.logs.some((l) => l.msg === "request" && l.status === 499));
  const line = server.logs.find((l) => l.msg === "request" && l.status === 499)!;
  // Judged by the bytes the client took, not by Node's full socket: it was cut off long before megabytes were buffered.
  assert.ok(typeof line.outputTokens === "number" && line.outputTokens < KERNEL_BUFFERED_TOKENS / 2, `cut off after ${String(line.outputTokens)} tokens`);
}

describe("connection caps", () => {
  let server: RunningServer;
  before(async () => {
    // Silent sockets must stay for the test: a long first-byte deadline.
    server = await startServer({ env: { API_KEYS: KEY, MAX_CONNECTIONS: "8", MAX_CONNECTIONS_PER_ADDRESS: "4", FIRST_BYTE_TIMEOUT: "600" } });
  });
  after(async () => {
    await server.stop();
  });

  test("silent connections filling MAX_CONNECTIONS from two addresses don't keep out a keyed client from a third: one idle one makes room", async () => {
    const silent: SilentSocket[] = [];
    for (const address of ["127.0.0.1", "127.0.0.3"]) for (let i = 0; i < 4; i++) silent.push(await silentSocket(server, address));
    // The server accepts connections in the order they arrive, so all eight are its before this one.
    const answer = await keyedRequest(server, "127.0.0.2");
    assert.equal(answer.status, 200, answer.body);
    assert.equal((JSON.parse(answer.body) as { object: string }).object, "chat.completion");
    await eventually("one silent connection is closed", () => silent.some((s) => s.closed));
    assert.equal(silent.filter((s) => s.closed).length, 1);
    assert.ok(silent.every((s) => s.received === ""));
    await closeAll(silent);
  });

  test("one address opening MAX_CONNECTIONS silent connections holds only its share, and its own keyed client still gets in", async () => {
    const silent: SilentSocket[] = [];
    for (let i = 0; i < 8; i++) silent.push(await silentSocket(server, "127.0.0.1"));
    const others = [await silentSocket(server, "127.0.0.3"), await silentSocket(server, "127.0.0.3")];
    const open = () => silent.filter((s) => !s.closed).length;
    await eventually("127.0.0.1 holds four", () => open() === 4);
    const answer = await keyedRequest(server, "127.0.0.1");
    assert.equal(answer.status, 200, answer.body);
    // Its keyed client took the place of one more of its own silent ones, never another address's.
    await eventually("127.0.0.1's keyed client took the place of one of its silent ones", () => open() === 3);
    assert.ok(others.every((s) => !s.closed));
    await closeAll([...silent, ...others]);
  });
});

describe("sockets that wait, stall or ask to close", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({
      env: { MODEL_PARALLEL: "1", MAX_QUEUE: "2", QUEUE_TIMEOUT: "60", WRITE_STALL_TIMEOUT: "2", FIRST_BYTE_TIMEOUT: "1", MODEL_N_CTX: "32768", MAX_TOKENS_LIMIT: "32000" },
    });
  });
  after(async () => {
    await server.stop();
  });

  test("a connection that sends nothing is closed after FIRST_BYTE_TIMEOUT, without an answer", { timeout: 30_000 }, async () => {
    const socket = await silentSocket(server, "127.0.0.1");
    await once(socket, "close");
    assert.equal(socket.received, "");
  });

  test("a streaming client that stops reading loses its slot long before the kernel's buffers fill, and the next request is served", { timeout: 120_000 }, async () => {
    const body = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "a very long answer" }], max_tokens: 30000, stream: true });
    const stalled = connect(port(server), "127.0.0.1");
    stalled.on("error", () => undefined);
    try {
      await stallAndAskAgain(server, stalled, body);
    } finally {
      stalled.destroy();
    }
  });

  test("Connection: close on a stream is honoured: the answer says so and the socket ends with the stream", { timeout: 30_000 }, async () => {
    const body = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 8, stream: true });
    const socket = connect(port(server), "127.0.0.1");
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => { received += chunk; });
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await eventually("the stream ends", () => received.includes("data: [DONE]"));
    const head = received.slice(0, received.indexOf("\r\n\r\n"));
    assert.match(head, /^HTTP\/1\.1 200/);
    assert.match(head, /^connection: close$/im);
    assert.doesNotMatch(head, /keep-alive/i);
    if (!socket.closed) await once(socket, "close");
    assert.ok(received.endsWith("0\r\n\r\n"), "the chunked answer is complete before the socket closes");
  });
});
