// Timeouts and a cap on connections, so that slow or idle clients can't hold sockets open without end. Node's
// requestTimeout covers receiving a request (headers and body) only: once it has arrived, an answer may stream for as
// long as it takes. The socket inactivity timeout (CONNECTION_TIMEOUT) does cover answers, and a non-streamed
// generation sends nothing until it is done, so it is off by default.
import type { ServerOptions } from "node:http";
import type { FastifyInstance } from "fastify";
import type { Config } from "../config.js";

type Limits = Pick<Config, "REQUEST_TIMEOUT" | "KEEP_ALIVE_TIMEOUT" | "CONNECTION_TIMEOUT" | "MAX_CONNECTIONS">;

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

/** Caps open connections: past MAX_CONNECTIONS, Node closes new ones at once (and emits `drop`, counted in metrics). */
export function limitConnections(app: FastifyInstance, config: Limits): void {
  if (config.MAX_CONNECTIONS > 0) app.server.maxConnections = config.MAX_CONNECTIONS;
}
