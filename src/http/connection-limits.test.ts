// Through real sockets: inject() has none, and these bounds live in Node's HTTP server.
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import Fastify from "fastify";
import { loadConfig } from "../config.js";
import { Router } from "../engines/router.js";
import { buildServer } from "../server.js";
import { connectionCaps, limitConnections, timeoutOptions } from "./connection-limits.js";
import { ScriptedEngine } from "../../test/scripted-engine.js";

const limits = { REQUEST_TIMEOUT: 1, KEEP_ALIVE_TIMEOUT: 5, CONNECTION_TIMEOUT: 0, MAX_CONNECTIONS: 0, MAX_CONNECTIONS_PER_ADDRESS: 0, FIRST_BYTE_TIMEOUT: 0 } as const;

async function slowServer() {
  const app = Fastify(timeoutOptions(limits));
  app.get("/stream", async (_request, reply) => reply.send(Readable.from((async function* () {
    for (let i = 0; i < 5; i++) {
      await sleep(400);
      yield `chunk ${i}\n`;
    }
  })())));
  app.post("/upload", async () => "ok");
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  assert.ok(address !== null && typeof address === "object");
  return { app, port: address.port };
}

async function readAll(socket: Socket): Promise<string> {
  let text = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => { text += chunk; });
  await once(socket, "close");
  return text;
}

test("a request still uploading after REQUEST_TIMEOUT is answered 408 and closed", async () => {
  const { app, port } = await slowServer();
  try {
    const socket = connect(port, "127.0.0.1");
    const started = Date.now();
    socket.write("POST /upload HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"a\":");
    const answer = await readAll(socket);
    assert.match(answer, /^HTTP\/1\.1 408/);
    // Not a speed goal: Node's own 60 s headers timeout used to stand in for REQUEST_TIMEOUT on a slow body.
    assert.ok(Date.now() - started < 20_000, `answered after ${Date.now() - started} ms, not after REQUEST_TIMEOUT (1 s)`);
  } finally {
    await app.close();
  }
});

test("an answer streaming for longer than REQUEST_TIMEOUT is not cut: the timeout covers receiving the request only", async () => {
  const { app, port } = await slowServer();
  try {
    const socket = connect(port, "127.0.0.1");
    socket.write("GET /stream HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n");
    const answer = await readAll(socket);
    assert.match(answer, /^HTTP\/1\.1 200/);
    assert.match(answer, /chunk 4/);
  } finally {
    await app.close();
  }
});

/** The server on the scripted engine, listening on loopback. */
async function scriptedServer(settings: Record<string, string>) {
  const engine = new ScriptedEngine("m", { inputTokens: 1, deltas: ["x"] });
  const app = await buildServer(loadConfig([], settings), new Router([engine]));
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  assert.ok(address !== null && typeof address === "object");
  return { app, port: address.port };
}

/** Answers `GET /health` on a new connection from `localAddress`, then leaves it open and idle (keep-alive). */
async function idleAfterRequest(port: number, localAddress = "127.0.0.1"): Promise<Socket> {
  const socket = connect({ port, host: "127.0.0.1", localAddress });
  socket.write("GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n");
  const [chunk] = await once(socket, "data") as [Buffer];
  assert.match(chunk.toString(), /^HTTP\/1\.1 200/);
  return socket;
}

test("past MAX_CONNECTIONS a new connection takes the place of the connection idle longest", async () => {
  const { app, port } = await scriptedServer({ MAX_CONNECTIONS: "2", MAX_CONNECTIONS_PER_ADDRESS: "0" });
  try {
    const first = await idleAfterRequest(port);
    const second = await idleAfterRequest(port);
    const firstClosed = once(first, "close");
    const third = await idleAfterRequest(port);
    await firstClosed;
    assert.equal(second.destroyed, false);
    for (const socket of [second, third]) socket.destroy();
  } finally {
    await app.close();
  }
});

test("past MAX_CONNECTIONS with no idle connection a new one is closed at once, and counted in /metrics", async () => {
  const { app, port } = await scriptedServer({ MAX_CONNECTIONS: "1", MAX_CONNECTIONS_PER_ADDRESS: "0" });
  try {
    // A request still uploading its body is in flight: its connection is not idle. Node's 100 Continue says it has the headers.
    const busy = connect(port, "127.0.0.1");
    busy.write("POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\nexpect: 100-continue\r\n\r\n");
    const [interim] = await once(busy, "data") as [Buffer];
    assert.match(interim.toString(), /^HTTP\/1\.1 100/);
    const refused = connect(port, "127.0.0.1");
    refused.write("GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n");
    assert.equal(await readAll(refused), "");
    assert.equal(busy.destroyed, false);
    busy.destroy();
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    assert.match(metrics, /lals_rejections_total\{reason="too_many_connections"\} 1/);
  } finally {
    await app.close();
  }
});

test("a connection that sends nothing for FIRST_BYTE_TIMEOUT is closed without an answer", async () => {
  const { app, port } = await scriptedServer({ FIRST_BYTE_TIMEOUT: "1", REQUEST_TIMEOUT: "600" });
  try {
    const silent = connect(port, "127.0.0.1");
    assert.equal(await readAll(silent), "");
  } finally {
    await app.close();
  }
});

test("MAX_CONNECTIONS_PER_ADDRESS: auto is a quarter of MAX_CONNECTIONS, at least 8, never above it", () => {
  assert.deepEqual(connectionCaps({ MAX_CONNECTIONS: 512, MAX_CONNECTIONS_PER_ADDRESS: "auto" }), { total: 512, perAddress: 128 });
  assert.deepEqual(connectionCaps({ MAX_CONNECTIONS: 16, MAX_CONNECTIONS_PER_ADDRESS: "auto" }), { total: 16, perAddress: 8 });
  assert.deepEqual(connectionCaps({ MAX_CONNECTIONS: 4, MAX_CONNECTIONS_PER_ADDRESS: "auto" }), { total: 4, perAddress: 4 });
  assert.deepEqual(connectionCaps({ MAX_CONNECTIONS: 0, MAX_CONNECTIONS_PER_ADDRESS: "auto" }), { total: 0, perAddress: 0 });
  assert.deepEqual(connectionCaps({ MAX_CONNECTIONS: 64, MAX_CONNECTIONS_PER_ADDRESS: 3 }), { total: 64, perAddress: 3 });
});

test("limitConnections leaves connections uncapped with 0", async () => {
  const app = Fastify();
  limitConnections(app, { ...limits, MAX_CONNECTIONS: 0 });
  assert.equal(app.server.maxConnections ?? Infinity, Infinity);
});
