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
import { limitConnections, timeoutOptions } from "./connection-limits.js";
import { ScriptedEngine } from "../../test/scripted-engine.js";

const limits = { REQUEST_TIMEOUT: 1, KEEP_ALIVE_TIMEOUT: 5, CONNECTION_TIMEOUT: 0, MAX_CONNECTIONS: 0 };

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

test("past MAX_CONNECTIONS a new connection is closed at once, and counted in /metrics", async () => {
  const engine = new ScriptedEngine("m", { inputTokens: 1, deltas: ["x"] });
  const app = await buildServer(loadConfig([], { MAX_CONNECTIONS: "1" }), new Router([engine]));
  await app.listen({ host: "127.0.0.1", port: 0 });
  try {
    const address = app.server.address();
    assert.ok(address !== null && typeof address === "object");
    const first = connect(address.port, "127.0.0.1");
    await once(first, "connect");
    await sleep(50);
    const second = connect(address.port, "127.0.0.1");
    second.write("GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n");
    const answer = await readAll(second);
    assert.equal(answer, "");
    first.destroy();
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    assert.match(metrics, /lals_rejections_total\{reason="too_many_connections"\} 1/);
  } finally {
    await app.close();
  }
});

test("limitConnections leaves connections uncapped with 0", async () => {
  const app = Fastify();
  limitConnections(app, { ...limits, MAX_CONNECTIONS: 0 });
  assert.equal(app.server.maxConnections ?? Infinity, Infinity);
});
