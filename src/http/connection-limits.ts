// Timeouts and a cap on connections, so that slow or idle clients can't hold sockets open without end. Node's
// requestTimeout covers receiving a request (headers and body) only: once it has arrived, an answer may stream for as
// long as it takes. The socket inactivity timeout (CONNECTION_TIMEOUT) does cover answers, and a non-streamed
// generation sends nothing until it is done, so it is off by default.
import type { FastifyInstance, FastifyServerOptions } from "fastify";
import type { Config } from "../config.js";

type Limits = Pick<Config, "REQUEST_TIMEOUT" | "KEEP_ALIVE_TIMEOUT" | "CONNECTION_TIMEOUT" | "MAX_CONNECTIONS">;

/** fastify's options for the settings' timeouts; 0 turns the request and connection timeouts off (KEEP_ALIVE_TIMEOUT is never 0). */
export function timeoutOptions(config: Limits): Pick<FastifyServerOptions, "requestTimeout" | "keepAliveTimeout" | "connectionTimeout"> {
  return {
    requestTimeout: config.REQUEST_TIMEOUT * 1000,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT * 1000,
    connectionTimeout: config.CONNECTION_TIMEOUT * 1000,
  };
}

/** Caps open connections: past MAX_CONNECTIONS, Node closes new ones at once (and emits `drop`, counted in metrics). */
export function limitConnections(app: FastifyInstance, config: Limits): void {
  if (config.MAX_CONNECTIONS > 0) app.server.maxConnections = config.MAX_CONNECTIONS;
}
