// Timeouts and caps on connections, so that slow or idle clients can't hold sockets open without end. Node's
// requestTimeout covers receiving a request (headers and body) only: once it has arrived, an answer may stream for as
// long as it takes. The socket inactivity timeout (CONNECTION_TIMEOUT) does cover answers, and a non-streamed
// generation sends nothing until it is done, so it is off by default. A new connection must send its first byte soon
// (FIRST_BYTE_TIMEOUT), and the caps are decided here at accept time (open-connections.ts), not by Node's
// maxConnections, which refuses a newcomer even when every place is held by a socket that only waits.
import type { IncomingMessage, ServerOptions, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { FastifyInstance } from "fastify";
import type { Config } from "../config.js";
import { OpenConnections, type ConnectionCaps } from "./open-connections.js";

type Limits = Pick<Config, "REQUEST_TIMEOUT" | "KEEP_ALIVE_TIMEOUT" | "CONNECTION_TIMEOUT" | "MAX_CONNECTIONS" | "MAX_CONNECTIONS_PER_ADDRESS" | "FIRST_BYTE_TIMEOUT">;

/** How often Node looks for requests past their deadline (its default, 30 s, would let a 5 s timeout fire 35 s late). */
const CHECK_EVERY_MS = 1000;
/** Node's own headers timeout, the longest the headers may take. */
const HEADERS_TIMEOUT_MS = 60_000;

/** fastify's options for the settings' timeouts; 0 turns the request and connection timeouts off (KEEP_ALIVE_TIMEOUT is never 0). */
export function timeoutOptions(config: Limits): { requestTimeout: number; keepAliveTimeout: number; connectionTimeout: number; http: ServerOptions } {
  const requestMs = config.REQUEST_TIMEOUT * 1000;
  return {
    requestTimeout: requestMs,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT * 1000,
    connectionTimeout: config.CONNECTION_TIMEOUT * 1000,
    // Node applies the shorter of the headers and request timeouts to the headers and the longer to the whole request,
    // so a headers timeout above REQUEST_TIMEOUT would give a slow body the headers' 60 s.
    http: requestMs > 0
      ? { headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestMs), connectionsCheckingInterval: CHECK_EVERY_MS }
      : { connectionsCheckingInterval: CHECK_EVERY_MS },
  };
}

/** The caps the settings give: `auto` gives each address a quarter of MAX_CONNECTIONS, at least 8 (and no cap without one). */
export function connectionCaps(config: Pick<Limits, "MAX_CONNECTIONS" | "MAX_CONNECTIONS_PER_ADDRESS">): ConnectionCaps {
  const total = config.MAX_CONNECTIONS;
  const perAddress = config.MAX_CONNECTIONS_PER_ADDRESS === "auto"
    ? (total === 0 ? 0 : Math.min(total, Math.max(8, Math.floor(total / 4))))
    : config.MAX_CONNECTIONS_PER_ADDRESS;
  return { total, perAddress };
}

/**
 * Caps open connections, in all and per address: past a cap a new connection takes the place of an idle one, or is
 * closed at once if none is idle (Node's `drop` event is emitted for it, as the metrics count those). A connection
 * silent for FIRST_BYTE_TIMEOUT is closed.
 */
export function limitConnections(app: FastifyInstance, config: Limits): OpenConnections {
  const caps = connectionCaps(config);
  const open = new OpenConnections(caps);
  const server = app.server;
  // A backstop only: sockets closed to make room count in Node's tally until their handles are closed.
  if (caps.total > 0) server.maxConnections = 2 * caps.total;
  const firstByteMs = config.FIRST_BYTE_TIMEOUT * 1000;
  server.on("connection", (socket: Socket) => {
    const admission = open.admit(socket);
    if (!admission.admitted) {
      socket.destroy();
      server.emit("drop", { localAddress: socket.localAddress, localPort: socket.localPort, remoteAddress: socket.remoteAddress, remotePort: socket.remotePort, remoteFamily: socket.remoteFamily });
      return;
    }
    if (admission.closed !== undefined) app.log.debug({ remoteAddress: socket.remoteAddress }, "idle connection closed to make room");
    socket.once("close", () => open.forget(socket));
    if (firstByteMs > 0) {
      const timer = setTimeout(() => {
        if (socket.bytesRead === 0) socket.destroy();
      }, firstByteMs);
      timer.unref();
      socket.once("close", () => clearTimeout(timer));
    }
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    open.requestStarted(request.socket);
    response.once("close", () => open.requestEnded(request.socket));
  });
  return open;
}
