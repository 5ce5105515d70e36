// The upstream engine against tiny misbehaving servers on 127.0.0.1, started here.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { test, type TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import type { ChatEvent } from "../../core/chat-event.js";
import { emptyChatRequest } from "../../core/chat-request.js";
import { cancelWith, Cancelled } from "../../core/cancel-cause.js";
import { GatewayError } from "../../core/gateway-error.js";
import { mergeStreams } from "../../core/merge-streams.js";
import { ALONE } from "../engine.js";
import { UpstreamEngine } from "./upstream-engine.js";
import type { UpstreamLimits } from "./upstream-limits.js";
import { PROTOCOL_CLIENTS } from "../../protocols/clients.js";

const chunk = (content: string): string =>
  `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A server answering every request with `handler`; closed, its open connections included, when the test ends. */
async function upstream(t: TestContext, handler: Handler): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const engine = (baseUrl: string, limits: Partial<UpstreamLimits> = {}): UpstreamEngine =>
  new UpstreamEngine({ id: "fleet", protocol: PROTOCOL_CLIENTS.openai, model: "m", replicas: [{ baseUrl }], limits, log: pino({ level: "silent" }) });

async function drain(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** Asserts `promise` fails with a GatewayError whose message matches and names the model, never the replica. */
async function failsNamingTheModel(promise: Promise<unknown>, message: RegExp): Promise<GatewayError> {
  const error = await promise.then(() => assert.fail("expected a failure"), (e: unknown) => e);
  assert.ok(error instanceof GatewayError, String(error));
  assert.match(error.message, message);
  assert.match(error.message, /'fleet'/);
  assert.doesNotMatch(error.message, /127\.0\.0\.1/);
  return error;
}

test("streams a well-behaved upstream's answer", async (t) => {
  const url = await upstream(t, (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.end(`${chunk("hel")}${chunk("lo")}data: [DONE]\n\n`);
  });
  const events = await drain(engine(url).generate(emptyChatRequest("fleet"), new AbortController().signal, ALONE));
  assert.equal(events.filter((e) => e.type === "text_delta").map((e) => (e.type === "text_delta" ? e.text : "")).join(""), "hello");
});

test("reads no more than the cap of an error body: a 100 MB one is cut off", async (t) => {
  let sent = 0;
  const total = 100 * 1024 * 1024;
  const piece = Buffer.alloc(1024 * 1024, "x");
  const url = await upstream(t, (_request, response) => {
    response.writeHead(400, { "content-type": "text/plain" });
    const write = (): void => {
      while (sent < total) {
        sent += piece.length;
        if (!response.write(piece)) return void response.once("drain", write);
      }
      response.end();
    };
    write();
  });
  const error = await failsNamingTheModel(drain(engine(url).generate(emptyChatRequest("fleet"), new AbortController().signal, ALONE)), /answered: x+/);
  assert.equal(error.kind, "invalid_request");
  assert.ok(error.message.length < 1000);
  await sleep(50);
  assert.ok(sent < total / 4, `the server got to write ${sent} bytes`);
});

test("a redirect is a failure, never followed", async (t) => {
  let followed = false;
  const url = await upstream(t, (request, response) => {
    if (request.url?.endsWith("/elsewhere") === true) {
      followed = true;
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.end(`${chunk("hi")}data: [DONE]\n\n`);
      return;
    }
    response.writeHead(307, { location: "/v1/elsewhere" });
    response.end();
  });
  await failsNamingTheModel(drain(engine(url).generate(emptyChatRequest("fleet"), new AbortController().signal, ALONE)), /redirect \(HTTP 307\)/);
  assert.equal(followed, false);
});

test("an upstream that never answers hits the first-byte deadline", { timeout: 5000 }, async (t) => {
  const url = await upstream(t, () => undefined);
  await failsNamingTheModel(drain(engine(url, { firstByteTimeoutMs: 200 }).generate(emptyChatRequest("fleet"), new AbortController().signal, ALONE)), /did not answer for 0.2 s/);
});

test("an upstream that stalls mid-stream hits the idle deadline", { timeout: 5000 }, async (t) => {
  const url = await upstream(t, (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(chunk("hel"));
  });
  const started = Date.now();
  await failsNamingTheModel(drain(engine(url, { idleTimeoutMs: 200 }).generate(emptyChatRequest("fleet"), new AbortController().signal, ALONE)), /went silent for 0.2 s/);
  assert.ok(Date.now() - started < 2000);
});

test("the idle deadline does not count time the consumer spends away", { timeout: 5000 }, async (t) => {
  const url = await upstream(t, (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.end(`${chunk("hel")}${chunk("lo")}data: [DONE]\n\n`);
  });
  const events: ChatEvent[] = [];
  for await (const event of engine(url, { idleTimeoutMs: 100 }).generate(emptyChatRequest("fleet"), new AbortController().signal, ALONE)) {
    events.push(event);
    await sleep(30);
  }
  assert.equal(events.at(-1)?.type, "end");
});

test("an event longer than the cap fails the request instead of filling memory", { timeout: 5000 }, async (t) => {
  const url = await upstream(t, (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(chunk("ok"));
    response.write(`data: "${"x".repeat(1024 * 1024)}`);
  });
  await failsNamingTheModel(drain(engine(url, { maxEventBytes: 64 * 1024 }).generate(emptyChatRequest("fleet"), new AbortController().signal, ALONE)), /event over 65536 bytes/);
});

test("a replica serving its concurrency limit refuses the next request at once as overloaded", { timeout: 5000 }, async (t) => {
  const url = await upstream(t, (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(chunk("hel"));
  });
  const fleet = engine(url, { maxConcurrentPerReplica: 1 });
  const abort = new AbortController();
  const first = fleet.generate(emptyChatRequest("fleet"), abort.signal, ALONE)[Symbol.asyncIterator]();
  await first.next();
  const error = await failsNamingTheModel(drain(fleet.generate(emptyChatRequest("fleet"), new AbortController().signal, ALONE)), /limit of 1 requests/);
  assert.equal(error.kind, "overloaded");
  cancelWith(abort, { type: "client_gone" });
  await first.return?.(undefined);
  assert.equal(fleet.occupancy().busySlots, 0);
});

test("upstreams that break mid-stream while their client is paused leave the process alive", { timeout: 5000 }, async (t) => {
  const url = await upstream(t, (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(chunk("hel"));
    setTimeout(() => response.destroy(), 20);
  });
  const unhandled: unknown[] = [];
  const note = (reason: unknown): void => void unhandled.push(reason);
  process.on("unhandledRejection", note);
  t.after(() => process.off("unhandledRejection", note));
  const fleet = engine(url);
  const signal = new AbortController().signal;
  const merged = mergeStreams([fleet.generate(emptyChatRequest("fleet"), signal, ALONE), fleet.generate(emptyChatRequest("fleet"), signal, ALONE)]);
  // Each stream's first chunk is three events (start, block_start, text_delta); past them both wait on the network.
  for (let i = 0; i < 6; i++) await merged.next();
  await sleep(200);
  await failsNamingTheModel((async () => {
    for (let next = await merged.next(); next.done !== true; next = await merged.next());
  })(), /broke off the answer/);
  await sleep(20);
  assert.deepEqual(unhandled, []);
});

test("a cancellation the client is told of ends the stream with its error event; one it is not, without", { timeout: 5000 }, async (t) => {
  const url = await upstream(t, (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(chunk("hel"));
  });
  const fleet = engine(url);
  for (const type of ["shutdown", "client_gone"] as const) {
    const abort = new AbortController();
    const generation = fleet.generate(emptyChatRequest("fleet"), abort.signal, ALONE);
    await generation.admitted;
    const iterator = generation[Symbol.asyncIterator]();
    const events: ChatEvent[] = [];
    while (events.at(-1)?.type !== "text_delta") events.push((await iterator.next()).value as ChatEvent);
    cancelWith(abort, { type });
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) events.push(next.value);
    const last = events.at(-1);
    if (type === "shutdown") assert.ok(last?.type === "error" && last.error instanceof Cancelled && last.error.cancelCause.type === "shutdown", JSON.stringify(last));
    else assert.equal(last?.type, "text_delta");
    assert.equal(fleet.occupancy().busySlots, 0);
  }
});

test("a request cancelled before the upstream answers is refused with the cancellation", { timeout: 5000 }, async (t) => {
  let arrived = (): void => undefined;
  const asked = new Promise<void>((resolve) => { arrived = resolve; });
  const url = await upstream(t, () => arrived());
  const abort = new AbortController();
  const generation = engine(url).generate(emptyChatRequest("fleet"), abort.signal, ALONE);
  await asked;
  cancelWith(abort, { type: "client_gone" });
  await assert.rejects(generation.admitted, (e: unknown) => e instanceof Cancelled && e.cancelCause.type === "client_gone");
});
